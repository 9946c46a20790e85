/** The analysis worker (workers/analysis.ts, through workers/jobs.ts): the study held between jobs, results posted back. */
import { AnalysisComputer } from './analysis';
import { serveJobs } from './jobs';

serveJobs((db) => new AnalysisComputer(db));
