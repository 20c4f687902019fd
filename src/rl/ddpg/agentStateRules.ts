/** DDPG's checkpoint rules (no tfjs: the page can check an imported run with them). */
import { DDPG_DESCRIPTOR } from '../algorithm';
import { deterministicAgentStateRules } from '../deterministic/agentState';
import type { DdpgConfig } from './config';

export const DDPG_AGENT_STATE_RULES = deterministicAgentStateRules<DdpgConfig>(DDPG_DESCRIPTOR, 1);
