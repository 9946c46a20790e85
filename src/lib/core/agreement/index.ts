/** Agreement: statistics, the study-level report, disagreements and adjudication. See docs/agreement.md. */
export * from './stats';
export * from './unitizing';
export * from './intervals';
export * from './codes';
export * from './report';
export * from './disagreements';
