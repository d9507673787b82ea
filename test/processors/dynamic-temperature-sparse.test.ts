import { describe, expect, it } from 'vitest';
import { dynamicTemperature } from '../../src/index.js';

// A row the property test found: the candidate path must give the dense row bit for bit.
describe('dynamicTemperature on candidates', () => {
  it('sparse equals the dense call on a row whose entropy sum is rounding-sensitive', () => {
    const vals = [-0.00003238020508433692, -0.04559386521577835, 0.5, 6];
    const make = () => dynamicTemperature({ temp: 0.1, range: 0.09148073568940164 });
    const dense = make()(Float32Array.from(vals));
    const sparse = Float32Array.from(vals);
    make().sparse!(sparse, { ids: Int32Array.of(3, 1, 0, 2), size: 4 });
    expect(Array.from(sparse)).toEqual(Array.from(dense));
  });
});
