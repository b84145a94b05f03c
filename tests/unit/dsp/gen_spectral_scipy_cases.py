#!/usr/bin/env python3
# Generates tests/unit/dsp/spectral_scipy_cases.inc: extra Spectral Analysis v4 cases and filter designs
# computed with numpy/scipy/PyWavelets (Debian 12: python3-numpy 1.24.2, python3-scipy 1.10.1, python3-pywt
# 1.1.1, the versions of shared/reference/dsp). The features follow the algorithm of shared/reference/dsp/
# README.md, restated here from that description (this script reproduces the three public golden cases bit
# for bit; run it with --check-golden). The inputs are integer sequences / 256 that the C++ test rebuilds
# exactly (see make_signal in test_spectral_analysis_scipy.cpp).
# Usage: python3 gen_spectral_scipy_cases.py > spectral_scipy_cases.inc
import json, sys
import numpy as np, scipy.signal as sig, scipy.stats as st, pywt

STAGES = {1: [], 3: [3], 10: [10], 30: [3, 10], 100: [10, 10], 1000: [10, 10, 10]}

def decimate(x, r):
    sos = sig.cheby1(8, 0.05, 0.8 / r, output='sos')
    y, _ = sig.sosfilt(sos, x, zi=sig.sosfilt_zi(sos) * x[0])
    return y[::r]

def fft_features(fx, fs, p, suffix):
    f = [np.sqrt(np.mean(np.square(fx))), float(st.skew(fx)), float(st.kurtosis(fx))]
    lab = [l + suffix for l in ('RMS', 'Skewness', 'Kurtosis')]
    n = p['fft-length']
    hop = n - n // 2 if p['do-fft-overlap'] else n
    power = np.zeros(n // 2 + 1)
    start = 0
    while start <= len(fx):
        power = np.maximum(power, np.abs(np.fft.rfft(fx[start:start + n], n)) ** 2 / n)
        start += hop
    f += [float(st.skew(power)), float(st.kurtosis(power))]
    lab += ['Spectral Skewness' + suffix, 'Spectral Kurtosis' + suffix]
    if p['do-log']:
        power = np.log10(np.where(power == 0, 1e-10, power))
    b = min(p['filter-cutoff'], fs / 2) * n / fs
    if p['filter-type'] == 'low':
        first, last = 1, int(b + 0.5)
    elif p['filter-type'] == 'high':
        first, last = max(1, int(b - 0.5) + 1), n // 2
    else:
        first, last = 1, n // 2
    spacing = np.fft.rfftfreq(n, 1 / fs)[1]
    for k in range(first, last + 1):
        f.append(power[k])
        c = k * spacing
        lab.append('Spectral Power %s - %s Hz' % (round(c - spacing / 2, 2), round(c + spacing / 2, 2)))
    return f, lab

def wavelet_features(a, i):
    a = np.array(a)
    out = [st.entropy(np.histogram(a, bins=100, density=True)[0]),
           np.count_nonzero(np.diff(a > 0)) / len(a), np.count_nonzero(np.diff(a > np.mean(a))) / len(a)]
    s = np.sort(a)
    for q in (5, 25, 75, 95, 50):
        out.append(s[int((len(s) - 1) * q / 100 + 0.5)])
    rms = np.sqrt(np.mean(s ** 2))
    out += [np.mean(s), np.std(s), np.var(s, ddof=1), rms,
            0 if rms == 0 else st.skew(s), 0 if rms == 0 else st.kurtosis(s)]
    names = ['entropy', 'zcross', 'mcross', 'n5', 'n25', 'n75', 'n95', 'median', 'mean', 'std', 'var', 'rms',
             'skew', 'kurtosis']
    return out, ['L%d-%s' % (i, n) for n in names]

def features(x, fs0, axes, p):
    x = np.asarray(x, dtype=np.float32).reshape(-1, axes)
    r = int(p['input-decimation-ratio'])
    sos = None
    if p['filter-type'] in ('low', 'high') and p['filter-order'] > 0:
        sos = np.float32(sig.butter(p['filter-order'], p['filter-cutoff'] * 2 / (fs0 / r), p['filter-type'],
                                    output='sos'))
    main, low, labels, low_labels = [], [], [], []
    for a in range(axes):
        fx = np.array(x[:, a], dtype='f') * p['scale-axes']
        fs = fs0
        for q in STAGES[r]:
            fx = decimate(fx, q)
            fs /= q
        if sos is not None:
            fx = sig.sosfilt(sos, fx)
        fx = np.array(fx) - np.mean(fx)
        if p['analysis-type'] == 'Wavelet':
            labels = []
            for i, c in enumerate(pywt.wavedec(fx, p['wavelet'], level=p['wavelet-level'])):
                f, l = wavelet_features(c, i)
                main += f
                labels += l
        else:
            f, labels = fft_features(fx, fs, p, '')
            main += f
            if p['extra-low-freq']:
                y = decimate(fx, 10)
                y = np.array(y) - np.mean(y)
                f, low_labels = fft_features(y, fs / 10, p, ' LF')
                low += f
    return np.array(main + low, dtype=np.float64), labels + low_labels

def make_signal(seed, n, axes, periods, amplitudes, offsets, noise_range):
    # value[t][a] = (triangle(t, P_a, A_a) + offset_a + noise) / 256 with an LCG for the noise in
    # [-noise_range, noise_range]; all integer.
    state = seed
    out = np.zeros((n, axes), dtype=np.float32)
    for t in range(n):
        for a in range(axes):
            state = (state * 1103515245 + 12345) % 2147483648
            noise = (state >> 8) % (2 * noise_range + 1) - noise_range
            P, A = periods[a], amplitudes[a]
            tri = (abs(2 * (t % P) - P) * 2 * A) // P - A
            out[t, a] = np.float32(tri + offsets[a] + noise) / np.float32(256)
    return out.reshape(-1)

DEFAULT = {'scale-axes': 1, 'input-decimation-ratio': '1', 'filter-type': 'none', 'filter-cutoff': 3,
           'filter-order': 6, 'analysis-type': 'FFT', 'fft-length': 16, 'do-log': True, 'do-fft-overlap': True,
           'extra-low-freq': False, 'wavelet-level': 1, 'wavelet': 'db4'}

# (id, fs, samples per axis, seed, periods, amplitudes, offsets, parameter changes)
CASES = [
    ('decim10_low_fft64', 1000, 3000, 11, [97, 400, 251], [300, 500, 80], [0, -100, 2512],
     {'input-decimation-ratio': '10', 'filter-type': 'low', 'filter-cutoff': 20, 'filter-order': 6, 'fft-length': 64}),
    ('decim30_high_linear', 600, 6000, 12, [310, 1200], [400, 250], [50, 0],
     {'input-decimation-ratio': '30', 'filter-type': 'high', 'filter-cutoff': 1, 'filter-order': 2,
      'fft-length': 32, 'do-log': False, 'do-fft-overlap': False}),
    ('decim100_none', 10000, 20000, 13, [1700], [600], [-300], {'input-decimation-ratio': '100'}),
    ('decim1000_low8', 100000, 64000, 14, [9000, 23000], [500, 700], [0, 100],
     {'input-decimation-ratio': '1000', 'filter-type': 'low', 'filter-cutoff': 15, 'filter-order': 8}),
    ('elf_low_fft32', 100, 2000, 15, [40, 9, 130], [300, 200, 100], [0, 0, 2512],
     {'filter-type': 'low', 'filter-cutoff': 5, 'filter-order': 4, 'fft-length': 32, 'extra-low-freq': True}),
    ('elf_high8_nooverlap', 200, 4000, 16, [17, 300, 55], [300, 400, 100], [10, 0, -40],
     {'filter-type': 'high', 'filter-cutoff': 10, 'filter-order': 8, 'fft-length': 64, 'do-fft-overlap': False,
      'extra-low-freq': True}),
    ('elf_decim3_none', 300, 3000, 17, [100, 33], [256, 128], [0, 1000],
     {'input-decimation-ratio': '3', 'extra-low-freq': True, 'scale-axes': 0.37}),
    ('mask_only_order0', 62.5, 125, 18, [20, 7, 31], [300, 200, 100], [0, 0, 2512],
     {'filter-type': 'low', 'filter-cutoff': 10, 'filter-order': 0}),
    ('fft256_short', 50, 100, 19, [23], [500], [0], {'fft-length': 256}),
    ('wavelet_db10_l3_lowpass', 100, 600, 20, [50, 13, 77], [400, 300, 100], [0, 0, 2512],
     {'analysis-type': 'Wavelet', 'wavelet': 'db10', 'wavelet-level': 3, 'filter-type': 'low',
      'filter-cutoff': 20, 'filter-order': 2}),
    ('wavelet_sym10_l2', 100, 500, 21, [50, 13], [400, 300], [0, 0],
     {'analysis-type': 'Wavelet', 'wavelet': 'sym10', 'wavelet-level': 2}),
    ('wavelet_coif3_l1_high', 100, 300, 22, [50], [400], [100],
     {'analysis-type': 'Wavelet', 'wavelet': 'coif3', 'wavelet-level': 1, 'filter-type': 'high',
      'filter-cutoff': 4, 'filter-order': 4}),
    ('wavelet_db4_l4_decim3', 300, 3000, 23, [60, 210], [400, 300], [0, 2512],
     {'analysis-type': 'Wavelet', 'wavelet': 'db4', 'wavelet-level': 4, 'input-decimation-ratio': '3'}),
    # Gravity-like axes: a large offset with small variations (the float32 pipeline's hardest case).
    ('gravity_decim10_low', 1000, 4000, 25, [300, 70, 1000], [3, 2, 5], [2512, -2512, 2512],
     {'input-decimation-ratio': '10', 'filter-type': 'low', 'filter-cutoff': 10, 'filter-order': 8,
      'fft-length': 32, 'extra-low-freq': True, 'noise': 4}),
    ('gravity_high_elf', 100, 3000, 26, [50, 170], [4, 2], [2512, 2512],
     {'filter-type': 'high', 'filter-cutoff': 0.5, 'filter-order': 8, 'fft-length': 64, 'extra-low-freq': True,
      'noise': 3}),
    ('gravity_wavelet_decim3', 300, 3000, 27, [300, 70], [3, 2], [2512, 2560],
     {'input-decimation-ratio': '3', 'analysis-type': 'Wavelet', 'wavelet': 'db6', 'wavelet-level': 3,
      'noise': 2}),
    # Without decimation the reference's Butterworth runs in float32 on the raw values, as ours does.
    ('gravity_nodecim_low_wavelet', 100, 1000, 28, [50, 170], [4, 2], [2512, -2560],
     {'filter-type': 'low', 'filter-cutoff': 10, 'filter-order': 4, 'analysis-type': 'Wavelet', 'wavelet': 'db4',
      'wavelet-level': 2, 'noise': 2}),
    ('gravity_nodecim_high_fft', 100, 1000, 29, [50, 170], [4, 2], [2512, -2560],
     {'filter-type': 'high', 'filter-cutoff': 2, 'filter-order': 6, 'fft-length': 128, 'noise': 2}),
    ('wavelet_sym5_l0', 100, 64, 24, [16, 9], [400, 300], [0, 0],
     {'analysis-type': 'Wavelet', 'wavelet': 'sym5', 'wavelet-level': 0}),
]

def cpp_double(v):
    return repr(float(v)) if np.isfinite(v) else 'NAN'

def main():
    if '--check-golden' in sys.argv:
        d = '/work/shared/reference/dsp/'
        for c in ['spectral_default_fft16', 'spectral_lowpass_decim3_fft32', 'spectral_wavelet_haar_l2']:
            j = json.load(open(d + c + '/case.json'))
            o, labels = features(np.fromfile(d + c + '/input.f32', '<f4'), j['sampling_frequency'], j['axes'],
                                 j['params'])
            e = np.fromfile(d + c + '/expected.f64', '<f8')
            print(c, 'max abs diff', np.max(np.abs(o - e)), 'labels equal', labels == j['output']['labels'])
        return
    print('// Generated by gen_spectral_scipy_cases.py (numpy 1.24.2, scipy 1.10.1, PyWavelets 1.1.1); do not edit.')
    print('#ifdef KILN_SPECTRAL_SCIPY_CASES')
    for (cid, fs, n, seed, periods, amps, offsets, changes) in CASES:
        p = dict(DEFAULT)
        p.update(changes)
        noise_range = p.pop('noise', 100)
        axes = len(periods)
        x = make_signal(seed, n, axes, periods, amps, offsets, noise_range)
        f, labels = features(x, fs, axes, p)
        print('{"%s", %r, %d, %d, %d, %d, {%s}, {%s}, {%s},' % (cid, float(fs), n, axes, seed, noise_range,
              ', '.join(map(str, periods)), ', '.join(map(str, amps)), ', '.join(map(str, offsets))))
        print('  R"(%s)",' % json.dumps(p))
        print('  {%s},' % ', '.join(cpp_double(v) for v in f))
        print('  {%s}},' % ', '.join('"%s"' % l for l in labels))
    print('#endif')
    # Filter designs: (kind, order, wn, sos rows) for butter low/high and cheby1(8, 0.05, wn).
    print('#ifdef KILN_SPECTRAL_SCIPY_DESIGNS')
    designs = []
    for order in (1, 2, 3, 4, 5, 6, 7, 8, 10):
        for wn in (0.01, 0.096, 0.3, 0.5, 0.9):
            for band in ('low', 'high'):
                designs.append((band, order, wn, sig.butter(order, wn, band, output='sos')))
    for r in (3, 10):
        designs.append(('cheby', 8, 0.8 / r, sig.cheby1(8, 0.05, 0.8 / r, output='sos')))
    for band, order, wn, sos in designs:
        rows = ', '.join('{%s}' % ', '.join(cpp_double(v) for v in (row[0], row[1], row[2], row[4], row[5]))
                         for row in sos)
        zi = ', '.join(cpp_double(v) for v in sig.sosfilt_zi(sos).reshape(-1)) if band == 'cheby' else ''
        print('{"%s", %d, %r, {%s}, {%s}},' % (band, order, wn, rows, zi))
    print('#endif')

main()
