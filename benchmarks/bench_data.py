"""Data pipeline benchmark: frames/s of preparing a video (`prepare_video`) at 128x128 gray, against the raw decode floor
and the naive path, all in one run on the same file, and clips/s of the DataLoader over `ClipDataset` at 17x128x128
with 0 and 2 workers.

    python benchmarks/bench_data.py [VIDEO] [--repeats 3] [--loop N] [--out runs/bench_data.json] [--record data]

VIDEO defaults to ../shared/data/steamboat_willie_opening.mp4 (found from the current folder upwards). `--loop N`
remuxes it N times end to end (stream copy, no re-encoding) into a film-length input, so that fixed per-file costs
(opening, hashing, sampling keyframes) weigh as they do on the whole film rather than on a 28-second clip.
`--size`, `--clip_len`, `--batches` and `--workers` change the sizes (smaller for a smoke test). Ratios against the
floor matter, not absolute times: the machines are shared and noisy.
"""
import argparse, json, statistics, tempfile
from pathlib import Path
import av, numpy as np, torch
import torch.nn.functional as F
from common import timed, add_record_arg, write_result
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

def prepare(path, size=128):
    "The whole `prepare_video` into a new folder: sha256, crop detection, decode, shot detection, writing the store."
    with tempfile.TemporaryDirectory() as d: return len(prepare_video(path, Path(d)/'store', size, 1, progress=False))

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

def rate(fn, *args) -> float: # items/s of one call of `fn(*args)` (which returns how many items it made)
    t, n = timed(lambda: fn(*args)); return n / t

def bench_loader(store, workers, batches=30, batch_size=8, clip_len=17):
    ds = ClipDataset(store, clip_len=clip_len, stride=1)
    dl = torch.utils.data.DataLoader(ds, batch_size=batch_size, shuffle=True, num_workers=workers,
                                     persistent_workers=False, generator=torch.Generator().manual_seed(0))
    it = iter(dl); next(it)  # start-up (worker spawn) is not throughput
    def run():
        n = 0
        for _, b in zip(range(batches), it): n += b.shape[0]; shape = tuple(b.shape)
        return n, shape
    t, (n, shape) = timed(run)
    return n / t, shape

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('video', nargs='?', default=None); ap.add_argument('--repeats', type=int, default=3)
    ap.add_argument('--loop', type=int, default=1); ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--clip_len', type=int, default=17); ap.add_argument('--batches', type=int, default=30, help='DataLoader batches timed')
    ap.add_argument('--workers', default='0,2', help='DataLoader worker counts to compare'); ap.add_argument('--out', default='runs/bench_data.json')
    add_record_arg(ap)
    a = ap.parse_args()
    path = Path(a.video) if a.video else shared_clip()
    if path is None: raise SystemExit('no video given and ../shared/data/ not found')
    if a.loop > 1: path = remux_loop(path, Path(tempfile.mkdtemp())/f'looped_{a.loop}x.mp4', a.loop)
    box = fit_box(detect_crop(path), a.size, 'crop')
    frames = decode_floor(path)
    print(f'video: {path} ({frames} frames)  crop box {box}  torch {torch.__version__}  av {av.__version__}  threads {torch.get_num_threads()}')
    tmp = tempfile.TemporaryDirectory(); out = prepare_video(path, Path(tmp.name)/'store', a.size, 1, progress=False).path
    runs = {k: [] for k in ('floor', 'ours', 'prepare', 'naive')}
    for _ in range(a.repeats):  # interleaved, so a noisy moment hits every path alike
        runs['floor'].append(rate(decode_floor, path)); runs['ours'].append(rate(ours, path, box, a.size))
        runs['prepare'].append(rate(prepare, path, a.size)); runs['naive'].append(rate(naive, path, box, a.size))
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f'\nframes/s at {a.size}x{a.size} gray (median of {a.repeats}), and ratio to the decode floor:')
    for k, label in [('floor', 'decode only (floor)'), ('ours', 'willie_gen read path'),
                     ('prepare', 'prepare_video (hash, crop, decode, shots, write)'), ('naive', 'naive: full RGB + torch resize')]:
        print(f'  {label:<50} {med[k]:8.0f}   {med[k] / med["floor"]:.2f}x')
    r = med['prepare'] / med['floor']
    print(f'  target: prepare_video >= 0.80x floor -> {r:.2f}x, {"met" if r >= 0.8 else "NOT met"}; '
          f'read path vs naive: {med["ours"] / med["naive"]:.1f}x')
    res = dict(video=str(path), frames=frames, size=a.size, repeats=a.repeats, frames_per_s=med, ratio_to_floor={k: v / med['floor'] for k, v in med.items()}, loader={})
    print(f'\nDataLoader, clips of {a.clip_len}x{a.size}x{a.size}, batch 8, shuffled:')
    base = None
    for w in (int(w) for w in a.workers.split(',')):
        cps, shape = bench_loader(out, w, a.batches, clip_len=a.clip_len)
        base = base or cps
        res['loader'][f'num_workers={w}'] = dict(clips_per_s=cps, batch=list(shape))
        print(f'  num_workers={w}: {cps:7.1f} clips/s  ({cps / base:.2f}x of {a.workers.split(",")[0]} workers)  batch {shape}')
    tmp.cleanup()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out)
    if a.record: write_result(a.record, [dict(path=k, frames_per_s=v, ratio_to_floor=res['ratio_to_floor'][k]) for k, v in res['frames_per_s'].items()],
                              loader=res['loader'], video=res['video'], frames=res['frames'], size=res['size'], repeats=res['repeats'])

if __name__ == '__main__': main()
