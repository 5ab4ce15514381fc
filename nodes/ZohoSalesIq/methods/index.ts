import { getPortals } from './loadOptions';

/** Load-options methods every operation shares (the Portal list). */
export const loadOptions = { getPortals };
