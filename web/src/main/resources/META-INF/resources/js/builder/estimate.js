/*
 * Counts from a sampled engine (segmenta.columnar.sample-rate below 1) are estimates: a point estimate and a 95 %
 * interval. "about 2.3M users, ± 0.4 %" — the ± is half the interval as a share of the estimate.
 */

/** 2,345,678 -> "2.3M", 45,120 -> "45,100", 812 -> "812": no more digits than an estimate has. */
export function aboutCount(n) {
  if (n >= 1e9) {
    return (n / 1e9).toFixed(n >= 1e10 ? 0 : 1) + 'B';
  }
  if (n >= 1e6) {
    return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + 'M';
  }
  if (n >= 1e4) {
    return (Math.round(n / 100) * 100).toLocaleString('en-US');
  }
  return Number(n).toLocaleString('en-US');
}

/** "± 0.4 % (95 % between 2,291,000 and 2,309,000; estimated from a 1 % sample)". */
export function estimateNote(count, e) {
  var half = (e.high - e.low) / 2;
  var sample = 'estimated from a ' + percent(e.sampleRate * 100) + ' % sample of users';
  var range = Math.round(e.confidence * 100) + ' % between ' + Number(e.low).toLocaleString('en-US') + ' and '
    + Number(e.high).toLocaleString('en-US');
  if (count <= 0) {
    return 'up to ' + Number(e.high).toLocaleString('en-US') + ' (' + range + '; ' + sample + ')';
  }
  return '± ' + percent(100 * half / count) + ' % (' + range + '; ' + sample + ')';
}

function percent(p) {
  return p >= 10 ? String(Math.round(p)) : p >= 1 ? String(Number(p.toFixed(1))) : String(Number(p.toPrecision(1)));
}
