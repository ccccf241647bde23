"""Sound reconstruction on the held-out shot (shot 2, frames 449-625) of the shared clip, every row on the same
seconds of sound, compared with the original track (48 kHz, mono):

(a) the source resampled to the tokenizer's rate (11,988 Hz-ish) and back: what the rate alone costs;
(b) Griffin-Lim of the unquantised log-mel: the ceiling of a mel tokenizer with this vocoder;
(c) the audio tokenizer (a training run of `willie-gen audio train`);
(d) a no-learning baseline at the tokenizer's bitrate: the signal low-passed and resampled to as many samples per
    second as the bitrate allows at 4 bits each, quantised uniformly, and resampled back.

Metrics: ViSQOL (audio mode, 48 kHz; `visqol-python` ships its model in the wheel, so it works offline; 1 to 5, higher
is better) and the multi-scale mel distance (mean |log-mel difference| at FFT sizes 256, 512, 1024, 2048; lower is
better). Run it in the benchmark venv, which has visqol-python:

    .bench-venv/bin/python benchmarks/bench_audio.py STORE AUDIO_RUN --out runs/bench_audio.json [--record audio]

STORE is a frame store of the shared clip with sound (`FrameStore`); AUDIO_RUN an audio tokenizer run on it (shot 2
held out), or an audio tokenizer folder. `--seconds` keeps only the shot's first seconds; `--no_visqol` leaves ViSQOL
out (the mel distance alone: for a venv without visqol-python, e.g. the smoke test).
"""
import argparse, json, math
from fractions import Fraction
from pathlib import Path
from common import add_record_arg, write_result
import numpy as np, torch
from scipy.signal import resample_poly
from willie_gen.audio import read_audio, write_wav
from willie_gen.audio_tokenizer import LogMel, load_audio_tokenizer
from willie_gen.data import FrameStore

def resample(x, a:int, b:int): r = Fraction(int(b), int(a)); return resample_poly(x, r.numerator, r.denominator).astype(np.float32)

def mel_distance(x, y, rate:int) -> float:
    "Multi-scale mel distance: mean |log-mel(x) - log-mel(y)| over FFT sizes 256..2048 (hop a quarter of each)."
    n = min(len(x), len(y)); x, y = torch.from_numpy(x[:n])[None], torch.from_numpy(y[:n])[None]
    return float(np.mean([(LogMel(rate, f, f // 4, 80 if f >= 512 else 40)(x) - LogMel(rate, f, f // 4, 80 if f >= 512 else 40)(y)).abs().mean().item()
                          for f in (256, 512, 1024, 2048)]))

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('store'); p.add_argument('audio_run'); p.add_argument('--shot', type=int, default=2)
    p.add_argument('--seconds', type=float, default=None, help="only the shot's first seconds (default: all of it)")
    p.add_argument('--no_visqol', action='store_true', help='the mel distance only')
    p.add_argument('--out', default='runs/bench_audio.json'); p.add_argument('--wavs', default='runs/audio_wavs')
    add_record_arg(p)
    a = p.parse_args()
    if not a.no_visqol:
        try: from visqol import VisqolApi
        except ImportError: raise SystemExit("visqol-python is not installed here: run it in the benchmark venv, or pass --no_visqol") from None
        api = VisqolApi(); api.create(mode='audio')
    fs = FrameStore(a.store); at = load_audio_tokenizer(a.audio_run).eval(); c = at.cfg
    if not fs.has_audio: raise SystemExit(f"{a.store} has no sound")
    if (c.rate, c.samples_per_frame) != (fs.audio_rate, fs.samples_per_frame): raise SystemExit(f"the audio tokenizer ({c.rate} Hz) does not fit the store ({fs.audio_rate} Hz)")
    s0, s1 = fs.shots[a.shot]; spf, rate = fs.samples_per_frame, fs.audio_rate
    if a.seconds: s1 = min(s1, s0 + max(4, round(a.seconds * fs.fps)))
    src48, _ = read_audio(fs.source, rate=48_000)
    ref = src48[round(s0 / fs.fps * 48_000):round(s1 / fs.fps * 48_000)]  # the original sound of the shot, 48 kHz
    ours_rate = fs.audio[s0 * spf:s1 * spf].copy()  # the store's sound: the source at the tokenizer's rate
    n = (len(ours_rate) // (4 * spf)) * 4 * spf; ours_rate = ours_rate[:n]; ref = ref[:round(n / rate * 48_000)]
    rows = {}
    rows['(a) resampled to %d Hz and back' % rate] = resample(ours_rate, rate, 48_000)
    m = at.mel(torch.from_numpy(ours_rate)[None])
    rows['(b) Griffin-Lim of the unquantised mel'] = resample(at.mel.invert(m)[0].numpy(), rate, 48_000)
    with torch.no_grad(): toks = at.encode(torch.from_numpy(ours_rate)[None]); dec = at.decode(toks)[0].numpy()
    rows['(c) the audio tokenizer'] = resample(dec, rate, 48_000)
    bps = fs.fps * c.tokens_per_frame * math.log2(c.codebook_size)
    low = max(2, round(bps / 4)); lp = resample(resample(ours_rate, rate, low), low, rate)  # low-passed, `low` samples/s
    q = np.round((resample(ours_rate, rate, low).clip(-1, 1) + 1) * 7.5) / 7.5 - 1  # 4 bits each
    rows[f'(d) {low} samples/s x 4 bits = {low * 4} bit/s'] = resample(resample(q.astype(np.float32), low, rate), rate, 48_000)
    res = dict(shot=[s0, s1], seconds=n / rate, rate=rate, tokenizer_bits_per_second=bps, tokens=int(toks.numel()), rows={})
    Path(a.wavs).mkdir(parents=True, exist_ok=True); write_wav(ref, 48_000, Path(a.wavs)/'original.wav')
    print(f"shot {a.shot}: {n / rate:.1f} s; the tokenizer: {toks.numel()} tokens = {bps:.0f} bit/s ({c.codebook_size:,} codes, {c.tokens_per_frame} per frame)")
    for name, x in rows.items():
        x = x[:len(ref)] if len(x) >= len(ref) else np.pad(x, (0, len(ref) - len(x)))
        r = dict(visqol=None if a.no_visqol else float(api.measure_from_arrays(ref.astype(np.float64), x.astype(np.float64), 48_000).moslqo), mel_distance=mel_distance(x, ref, 48_000))
        res['rows'][name] = r
        write_wav(x, 48_000, Path(a.wavs)/(name[:3].strip('()') + '.wav'))
        print(f"  {name:48} " + ('' if r['visqol'] is None else f"ViSQOL {r['visqol']:.2f}   ") + f"multi-scale mel distance {r['mel_distance']:.3f}", flush=True)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out, 'and', a.wavs)
    if a.record: write_result(a.record, [dict(reference=k, **v) for k, v in res['rows'].items()], **{k: v for k, v in res.items() if k != 'rows'})

if __name__ == '__main__': main()
