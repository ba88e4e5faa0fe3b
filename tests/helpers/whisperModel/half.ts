/**
 * IEEE 754 half-precision conversion. Node 20 has no Float16Array, and ggml
 * stores most whisper weights as f16.
 */

const float32 = new Float32Array(1);
const bits32 = new Uint32Array(float32.buffer);

/** The f16 bit pattern nearest to `value` (round half to even), with overflow to infinity. */
export function toHalfBits(value: number): number {
  float32[0] = value;
  const x = bits32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;

  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal in f16 (or zero): shift the implicit leading one in, then round.
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    return sign | roundShift(mantissa, shift);
  }
  // A carry out of the mantissa correctly bumps the exponent (and may reach infinity).
  return (sign | (halfExponent << 10)) + roundShift(mantissa, 13);
}

/** `value >> shift`, rounded to nearest with ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (kept & 1) === 1)) return kept + 1;
  return kept;
}

/** The number an f16 bit pattern stands for. */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
