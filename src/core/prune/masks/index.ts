export { orderByScore } from './orderByScore';
export { masksFromScores } from './masksFromScores';
export { countKept } from './countKept';
