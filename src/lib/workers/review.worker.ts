/** The review worker (workers/review.ts, through workers/jobs.ts): the study held between jobs, results posted back. */
import { ReviewComputer } from './review';
import { serveJobs } from './jobs';

serveJobs((db) => new ReviewComputer(db));
