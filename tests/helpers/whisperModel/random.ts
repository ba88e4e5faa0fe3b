const SQRT3 = Math.sqrt(3);

/**
 * A small seeded PRNG (the public-domain "sfc32" design): fast, 32-bit, and the
 * same seed gives the same stream on every platform, which is what makes the
 * synthetic models byte-for-byte reproducible.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Mix the seed in before the first value is used.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform with mean 0 and standard deviation `std` (cheaper than a Gaussian and just as good here). */
  spread(std: number): number {
    return (this.next() * 2 - 1) * std * SQRT3;
  }
}
