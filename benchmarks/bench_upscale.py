"""Upscaling speed: frames/s of the x2 upsampler (each preset that fits) against bicubic interpolation, in one run,
at 64->128 and 128->256 (gray, 16-frame chunks, batch of one video).

    .venv/bin/python benchmarks/bench_upscale.py [--device cpu] [--frames 48] [--out runs/bench_upscale.json]
"""
import argparse, json, time
from pathlib import Path
import numpy as np, torch
from willie_gen.core import to_video_tensor
from willie_gen.upscale import VideoSR, sr_preset, upscale_frames, upsample

def fps(fn, n, repeats=2):
    best = float('inf')
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t0)
    return n / best

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--device', default='cpu'); p.add_argument('--frames', type=int, default=48)
    p.add_argument('--threads', type=int, default=2); p.add_argument('--presets', default='tiny,cpu')
    p.add_argument('--out', default='runs/bench_upscale.json')
    a = p.parse_args(); torch.set_num_threads(a.threads)
    res = dict(device=a.device, threads=a.threads, frames=a.frames, torch=torch.__version__)
    for size in (64, 128):
        frames = (np.random.default_rng(0).random((a.frames, size, size, 1)) * 255).astype(np.uint8)
        row = dict(bicubic=fps(lambda: upsample(to_video_tensor(frames)[None], 2, 'bicubic'), a.frames))
        for name in a.presets.split(','):
            m = VideoSR(sr_preset(name)).eval()
            row[name] = fps(lambda: upscale_frames(m, frames, 2, chunk=16, device=a.device), a.frames)
        res[f'{size}->{2 * size}'] = row
        print(f"{size}->{2 * size}: " + ', '.join(f"{k} {v:,.1f} frames/s ({v / row['bicubic']:.3f}x bicubic)" for k, v in row.items()))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out)

if __name__ == '__main__': main()
