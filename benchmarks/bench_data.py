"""Data pipeline benchmark: frames/s of preparing a video at 128x128 gray, against the raw decode floor and the naive
path, all in one run on the same file, and clips/s of the DataLoader at 17x128x128 with 0 and 2 workers.

    python benchmarks/bench_data.py [VIDEO] [--repeats 3] [--loop N]

VIDEO defaults to ../shared/data/steamboat_willie_opening.mp4 (found from the current folder upwards). `--loop N`
remuxes it N times end to end (stream copy, no re-encoding) into a film-length input, so that fixed per-file costs
(opening, hashing, sampling keyframes) weigh as they do on the whole film rather than on a 28-second clip.
Ratios against the floor matter, not absolute times: the machines are shared and noisy.
"""
import argparse, statistics, tempfile, time
from pathlib import Path
import av, numpy as np, torch
import torch.nn.functional as F
from willie_gen.core import shared_clip
from willie_gen.data import ClipDataset, prepare_video
from willie_gen.video import detect_crop, fit_box, iter_frames

def decode_floor(path):
    "Decode every frame, convert nothing: the fastest any reader can go."
    n = 0
    with av.open(str(path)) as c:
        s = c.streams.video[0]; s.thread_type = 'AUTO'
        for _ in c.decode(s): n += 1
    return n

def ours(path, box, size=128):
    "willie_gen's read path: crop, area resize and gray inside ffmpeg's filter graph."
    return sum(1 for _ in iter_frames(path, size, 1, crop=box, fit='stretch'))

def naive(path, box, size=128):
    "Decode to full-size RGB numpy, then crop, resize (area) and convert to gray in torch."
    x0, y0, x1, y1 = box; n = 0
    with av.open(str(path)) as c:
        s = c.streams.video[0]; s.thread_type = 'AUTO'
        for f in c.decode(s):
            t = torch.from_numpy(f.to_ndarray(format='rgb24')[y0:y1, x0:x1]).permute(2, 0, 1)[None].float()
            g = F.interpolate(t, size=(size, size), mode='area').mean(1).round().to(torch.uint8); n += 1
    return n

def prepare(path):
    "The whole `prepare_video` into a new folder: sha256, crop detection, decode, shot detection, writing the store."
    return len(prepare_video(path, Path(tempfile.mkdtemp())/'store', 128, 1, progress=False))

def remux_loop(src, dst, n):
    "Concatenate `n` copies of a video's stream (no re-encoding): a longer input with the same content and codec."
    with av.open(str(dst), 'w') as o:
        so, shift = None, 0
        for _ in range(n):
            with av.open(str(src)) as i:
                si = i.streams.video[0]; so = so or o.add_stream_from_template(si); last = 0
                for p in i.demux(si):
                    if p.dts is None: continue
                    last = max(last, p.pts + p.duration)
                    p.pts += shift; p.dts += shift; p.stream = so; o.mux(p)
                shift += last
    return dst

def timed(fn, *args):
    t = time.perf_counter(); n = fn(*args); return n / (time.perf_counter() - t)

def bench_loader(store, workers, batches=30, batch_size=8):
    ds = ClipDataset(store, clip_len=17, stride=1, flip=True)
    dl = torch.utils.data.DataLoader(ds, batch_size=batch_size, shuffle=True, num_workers=workers,
                                     persistent_workers=False, generator=torch.Generator().manual_seed(0))
    it = iter(dl); next(it)  # start-up (worker spawn) is not throughput
    t = time.perf_counter(); n = 0
    for _, b in zip(range(batches), it): n += b.shape[0]
    return n / (time.perf_counter() - t), tuple(b.shape)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('video', nargs='?', default=None); ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--loop', type=int, default=1)
    a = ap.parse_args()
    path = Path(a.video) if a.video else shared_clip()
    if path is None: raise SystemExit('no video given and ../shared/data/ not found')
    if a.loop > 1: path = remux_loop(path, Path(tempfile.mkdtemp())/f'looped_{a.loop}x.mp4', a.loop)
    box = fit_box(detect_crop(path), 128, 'crop')
    print(f'video: {path} ({decode_floor(path)} frames)  crop box {box}  torch {torch.__version__}  av {av.__version__}  threads {torch.get_num_threads()}')
    out = prepare_video(path, Path(tempfile.mkdtemp())/'store', 128, 1, progress=False).path
    runs = {k: [] for k in ('floor', 'ours', 'prepare', 'naive')}
    for _ in range(a.repeats):  # interleaved, so a noisy moment hits every path alike
        runs['floor'].append(timed(decode_floor, path)); runs['ours'].append(timed(ours, path, box))
        runs['prepare'].append(timed(prepare, path)); runs['naive'].append(timed(naive, path, box))
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f'\nframes/s at 128x128 gray (median of {a.repeats}), and ratio to the decode floor:')
    for k, label in [('floor', 'decode only (floor)'), ('ours', 'willie_gen read path'),
                     ('prepare', 'prepare_video (hash, crop, decode, shots, write)'), ('naive', 'naive: full RGB + torch resize')]:
        print(f'  {label:<50} {med[k]:8.0f}   {med[k] / med["floor"]:.2f}x')
    r = med['prepare'] / med['floor']
    print(f'  target: prepare_video >= 0.80x floor -> {r:.2f}x, {"met" if r >= 0.8 else "NOT met"}; '
          f'read path vs naive: {med["ours"] / med["naive"]:.1f}x')
    print('\nDataLoader, clips of 17x128x128, batch 8, shuffled, with flips:')
    base = None
    for w in (0, 2):
        cps, shape = bench_loader(out, w)
        base = base or cps
        print(f'  num_workers={w}: {cps:7.1f} clips/s  ({cps / base:.2f}x of 0 workers)  batch {shape}')

if __name__ == '__main__': main()
