// The extra benches' timing loop (metrics, losses): each case timed `reps` times, each time right
// after a run of the floor pass, reported as medians. One place, so both benches measure alike.

function median(xs) {
  const a = [...xs].sort((x, y) => x - y);
  return a[a.length >> 1];
}

function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Rows `{ name, medianMs, floorMs }` for `cases` (`[name, fn]` pairs), each against `floorPass`. */
export function floorRows(cases, floorPass, reps) {
  const rows = [];
  for (const [name, fn] of cases) {
    fn(); // warm-up
    floorPass();
    const times = [];
    const floors = [];
    for (let r = 0; r < reps; r++) {
      floors.push(time(floorPass));
      times.push(time(fn));
    }
    rows.push({ name, medianMs: median(times), floorMs: median(floors) });
  }
  return rows;
}
