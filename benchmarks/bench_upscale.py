"""Upscaling: speed, and (given a trained model) held-out quality.

Speed: frames/s of the x2 upsampler (each preset) against bicubic interpolation, in one run, at 64->128 and 128->256
(gray, 16-frame chunks, one video; the best of `--repeats` timed calls after a warm-up one). Quality (`--model RUN
--store STORE`): PSNR, SSIM, the sharpness ratio and LPIPS (AlexNet; needs `willie-gen weights fetch`) on the
held-out shot of the store, x2 from area-downscaled frames and (with `--tokenizer`) from the tokenizer's
reconstructions of them, for the model, bicubic and area (pixel-repeat) upsampling; `--sheet` writes the contact
sheet (real | model | bicubic, from each input).

    .venv/bin/python benchmarks/bench_upscale.py [--device cpu] [--frames 48] [--out runs/bench_upscale.json] [--record NAME]
    .venv/bin/python benchmarks/bench_upscale.py --model runs/sr128 --store runs/willie128 --tokenizer runs/bench/bench_tok_aug20 --val_shots 2
"""
import argparse, json, sys
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).parent))
from common import timed, add_record_arg, write_result
from willie_gen.core import to_video_tensor
from willie_gen.data import FrameStore, area_downscale, shot_split
from willie_gen.metrics import psnr, sharpness, ssim
from willie_gen.pretrained import lpips_distance, lpips_net
from willie_gen.core import to_uint8_frames
from willie_gen.widgets import contact_sheet
from willie_gen.tokenize import tokenizer_reconstructions
from willie_gen.upscale import VideoSR, sr_preset, upscale_frames, upsample, load_sr

def fps(fn, n, repeats=3): return n / timed(fn, repeats, warmup=1)[0]  # frames/s: n frames over the best time of a call

@torch.no_grad()
def quality(a):
    "Held-out PSNR, SSIM, sharpness and LPIPS of the model, bicubic and area upsampling, from downscaled frames and from tokenizer reconstructions."
    m, hi, lp = load_sr(a.model).eval(), FrameStore(a.store), lpips_net('alex')
    _, val = shot_split(hi.shots, [int(v) for v in a.val_shots.split(',')])
    lo = area_downscale(hi.frames, 2)
    inputs = {'downscaled': lo}
    if a.tokenizer: inputs['tokenizer reconstruction'] = tokenizer_reconstructions(lo, a.tokenizer)
    res, sheet = {}, {}
    for kind, frames in inputs.items():
        for s_, e in val:
            e = min(e, len(frames))
            truth = to_video_tensor(np.asarray(hi.frames[s_:e]))[None]
            x = to_video_tensor(np.asarray(frames[s_:e]))[None]
            outs = {'model': to_video_tensor(upscale_frames(m, np.asarray(frames[s_:e]), 2))[None],
                    'bicubic': upsample(x, 2, 'bicubic').clamp(-1, 1), 'area': upsample(x, 2, 'area')}
            row = {k: dict(psnr=psnr(v, truth).mean().item(), ssim=ssim(v, truth).mean().item(), sharpness=sharpness(v, truth).mean().item(),
                           lpips=lpips_distance(v, truth, lp).mean().item()) for k, v in outs.items()}
            res[f'{kind} {s_}-{e}'] = row
            print(f"x2 from {kind}, frames {s_}-{e}: " + ', '.join(f"{k} {v['psnr']:.2f} dB / {v['ssim']:.3f} / sharpness {v['sharpness']:.2f} / LPIPS {v['lpips']:.3f}"
                                                                   for k, v in row.items()), flush=True)
            sheet.setdefault('real', to_uint8_frames(truth[0]))
            for k in ('model', 'bicubic'): sheet[f'{k} from {kind}'] = to_uint8_frames(outs[k][0].clamp(-1, 1))
    if a.sheet: contact_sheet(sheet, frames=[0, len(sheet['real']) // 2, len(sheet['real']) - 1], path=a.sheet, scale=1); print('written', a.sheet)
    return res

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--device', default='cpu'); p.add_argument('--frames', type=int, default=48)
    p.add_argument('--threads', type=int, default=2); p.add_argument('--presets', default='tiny,cpu'); p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--model'); p.add_argument('--store'); p.add_argument('--tokenizer'); p.add_argument('--val_shots', default='2'); p.add_argument('--sheet', help='contact sheet PNG of the quality run')
    p.add_argument('--out', default='runs/bench_upscale.json'); add_record_arg(p)
    a = p.parse_args(); torch.set_num_threads(a.threads)
    res = dict(device=a.device, threads=a.threads, frames=a.frames, repeats=a.repeats, torch=torch.__version__)
    if a.model: res['quality'] = quality(a)
    for size in (64, 128):
        frames = (np.random.default_rng(0).random((a.frames, size, size, 1)) * 255).astype(np.uint8)
        row = dict(bicubic=fps(lambda: upsample(to_video_tensor(frames)[None], 2, 'bicubic'), a.frames, a.repeats))
        for name in a.presets.split(','):
            m = VideoSR(sr_preset(name)).eval()
            row[name] = fps(lambda: upscale_frames(m, frames, 2, chunk=16, device=a.device), a.frames, a.repeats)
        res[f'{size}->{2 * size}'] = row
        print(f"{size}->{2 * size}: " + ', '.join(f"{k} {v:,.1f} frames/s ({v / row['bicubic']:.3f}x bicubic)" for k, v in row.items()))
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out)
    if a.record: write_result(a.record, [dict(case=k, **v) for k, v in res.items() if isinstance(v, dict)], device=a.device,
                              **{k: v for k, v in res.items() if not isinstance(v, dict) and k != 'device'})

if __name__ == '__main__': main()
