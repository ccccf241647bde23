"""The pictures beside the tokenizer's figures: a contact sheet (PNG) and a side-by-side GIF of the held-out shot,
real frames | the no-learning floor | each run's EMA reconstruction, with PSNR / SSIM / sharpness / LPIPS in the labels.
LPIPS is printed with both trunks (AlexNet, VGG16) when their weights are cached: a perceptual loss can game its own
trunk's LPIPS, so a gain should show in the other one too.

    .venv/bin/python benchmarks/show_tokenizer.py runs/bench_tok_r20_base runs/bench_tok_r30_gan --names recon,gan \
        --png nbs/images/tokenizer_gan.png --gif nbs/images/tokenizer_gan.gif

Runs are training folders (their newest good checkpoint's EMA weights) or model folders; the clips are the same
validation clips as `bench_tokenizer.py` (the shared clip, shot 2 held out), at the size the first run was trained on.
"""
import argparse, sys
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).parent))
import peer_magvit2 as peer
from willie_gen.core import shared_clip, opening_clip, to_uint8_frames
from willie_gen.pretrained import LPIPS_NETS, lpips_distance, lpips_net, weights_present
from willie_gen.tokenizer import load_tokenizer
from willie_gen.widgets import contact_sheet, side_by_side

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('runs', nargs='+'); p.add_argument('--names', default='', help='a label per run, comma-separated')
    p.add_argument('--clips', default='0,4,8', help='validation clips to show'); p.add_argument('--frames', default='0,8,16', help='frames of each clip on the sheet')
    p.add_argument('--png', required=True); p.add_argument('--gif', default=''); p.add_argument('--scale', type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(2)
    models = [load_tokenizer(r).eval() for r in a.runs]
    names = a.names.split(',') if a.names else [Path(r).name for r in a.runs]
    size = models[0].cfg.image_size
    _, val_ds, _ = peer.make_clips(shared_clip() or opening_clip(), out=Path('runs')/f'store_{size}g', size=size)
    clips = [int(c) for c in a.clips.split(',')]
    x = torch.stack([val_ds[i] for i in clips])
    fns = {'floor': peer.floor_reconstruct, **{n: (lambda b, m=m: m(b)[0]) for n, m in zip(names, models)}}
    videos, recs = {'real': None}, {'real': x}
    nets = {n: lpips_net(n) for n in LPIPS_NETS if weights_present(f'lpips-{n}')}
    every = torch.stack([val_ds[i] for i in range(len(val_ds))])
    with torch.no_grad():
        for k, fn in fns.items():
            s = peer.evaluate(fn, val_ds)  # every validation clip, with the metrics of the trainer's validation (willie_gen.metrics)
            r = fn(every).clamp(-1, 1)
            s.update({f'lpips_{n}': lpips_distance(r, every, net).mean().item() for n, net in nets.items()})
            recs[k] = fn(x).clamp(-1, 1)
            print(k, s)
            videos[f"{k}: {s['psnr']:.2f} dB, SSIM {s['ssim']:.3f}, sharpness {s['sharpness']:.2f}" + (f", LPIPS {s['lpips_alex']:.3f}" if 'lpips_alex' in s else '')] = None
    videos = {k: np.concatenate(list(to_uint8_frames(r)), 0) for k, r in zip(videos, recs.values())}  # the clips one after the other
    t = x.shape[2]
    frames = [c * t + int(f) for c in range(len(clips)) for f in a.frames.split(',')]
    contact_sheet(videos, frames=frames, path=a.png, scale=a.scale); print('written', a.png)
    if a.gif:
        # the clips stacked vertically, the models side by side
        stacked = {k: np.concatenate(list(to_uint8_frames(r)), 1) for k, r in zip(videos, recs.values())}
        side_by_side({k.split(':')[0]: v for k, v in stacked.items()}, path=a.gif, fps=8, scale=1); print('written', a.gif)

if __name__ == '__main__': main()
