import { describeLogLikelihoods } from './logLikelihoodCases';
import { KV_MODEL } from './reference';

// A graph with a KV cache: the shared-prefix cache, and whole rows for comparison.
describeLogLikelihoods('stories260K-llama-kv', KV_MODEL, ['prefix-cache', 'batched']);
