/** TD3's checkpoint rules (no tfjs: the page can check an imported run with them). */
import { TD3_DESCRIPTOR } from '../algorithm';
import { deterministicAgentStateRules } from '../deterministic/agentState';
import type { Td3Config } from './config';

export const TD3_AGENT_STATE_RULES = deterministicAgentStateRules<Td3Config>(TD3_DESCRIPTOR, 2);
