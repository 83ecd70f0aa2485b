// The weight types both backends compute with. A model with any other matrix type is refused when it loads, with
// the tensor and type named, instead of failing at its first forward pass.
import { UnsupportedTensorTypeError } from '../errors.js';
import { GgmlType, ggmlTypeName } from '../quant/index.js';

export const COMPUTE_TYPES: ReadonlySet<GgmlType> = new Set([
  GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
  GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
]);

export function assertComputable(name: string, type: GgmlType): void {
  if (COMPUTE_TYPES.has(type)) return;
  throw new UnsupportedTensorTypeError(type, `tensor "${name}" is ${ggmlTypeName(type)}, which Quire cannot compute with yet`,
    [...COMPUTE_TYPES].map(ggmlTypeName).join(', '));
}
