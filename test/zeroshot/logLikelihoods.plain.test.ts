import { describeLogLikelihoods } from './logLikelihoodCases';
import { PLAIN_MODEL } from './reference';

// A graph without a KV cache: whole rows, batched and one run per request.
describeLogLikelihoods('stories260K-llama', PLAIN_MODEL, ['batched', 'per-request']);
