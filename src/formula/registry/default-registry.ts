import { dateFunctions } from '../functions/date.js';
import { geolocationFunctions } from '../functions/geolocation.js';
import { logicFunctions } from '../functions/logic.js';
import { mathFunctions } from '../functions/math.js';
import { operatorFunctions } from '../functions/operators.js';
import { coreTextFunctions, textFunctions } from '../functions/text.js';
import { SEED_ALIASES, SEED_UNSUPPORTED_FUNCTIONS, SEED_UNSUPPORTED_REASON } from './catalog.js';
import { FunctionRegistry } from './registry.js';

/** A registry with every built-in function and operator, the seed's aliases (NULLVAL) and the seed's unsupported list. */
export function createDefaultRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry().registerAll(operatorFunctions).registerAll(logicFunctions).registerAll(coreTextFunctions);
  registry.registerAll(textFunctions).registerAll(mathFunctions);
  registry.registerAll(dateFunctions).registerAll(geolocationFunctions);
  for (const [alias, target] of Object.entries(SEED_ALIASES)) registry.alias(alias, target);
  for (const name of SEED_UNSUPPORTED_FUNCTIONS) registry.markUnsupported({ name, reason: SEED_UNSUPPORTED_REASON });
  return registry;
}
