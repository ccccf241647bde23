"""Frame prediction on the held-out shot: prompt a language model with real frames it never trained on (2 latent frames =
5 frames), generate 4 latent frames (16 frames) with `generate_video`, and compare with the real frames that follow,
per generated frame: PSNR, SSIM, the sharpness ratio, and `moved` (the fraction of generated tokens that differ from
the last prompt frame's at the same place; the real tokens' fraction is the ceiling's). Beside them, in the same run:
"repeat the last prompt latent frame" decoded through the tokenizer (a model that predicts no motion), and the
tokenizer's own reconstruction of the real frames (the ceiling: what a perfect LM would get through this tokenizer).
Every LM run given is decoded greedily and sampled (`--seeds` seeds; one `Sampling` from `--temperature`, `--top_k`,
`--copy_temperature`); masked runs with 1, 4, 8 and 12 reveal steps (`--steps`). Then a long rollout (`--rollout`
times the training context, default 4) from the same prompt, with the brightness and the sharpness of every latent
frame, so that drift shows.

    .venv/bin/python benchmarks/bench_frame_prediction.py TOKENS RUN [RUN ...] --out runs/bench_frame_prediction.json

TOKENS is a token store (`TokenStore`; its sidecar names the tokenizer and the frame store); each RUN a video-only LM
training run on it (`willie-gen lm train`, `bench_lm_film.py`). GIFs of real | reconstruction | repeat | each model go
to `--gifs` (`show_frame_prediction.py` lays them out).
"""
import argparse, json, statistics
from pathlib import Path
import numpy as np, torch
from willie_gen.data import FrameStore
from willie_gen.generate import generate_video
from willie_gen.heads import Sampling
from willie_gen.lm import load_lm
from willie_gen.metrics import gradient_energy, psnr, sharpness, ssim
from willie_gen.tokenize import TokenStore, decode_tokens
from willie_gen.tokenizer import load_tokenizer
from willie_gen.video import write_video

def scores(frames, real) -> dict:
    "Mean PSNR, SSIM and sharpness ratio over the frames (uint8 (T, H, W, C) each)."
    x, y = torch.from_numpy(np.array(frames)), torch.from_numpy(np.array(real))  # copies: the store is read-only
    return dict(psnr=psnr(x, y).mean().item(), ssim=ssim(x, y).mean().item(), sharpness=sharpness(x, y).mean().item())

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('tokens'); p.add_argument('runs', nargs='+')
    p.add_argument('--val_shot', type=int, default=2); p.add_argument('--prompt', type=int, default=2, help='latent frames of real prompt')
    p.add_argument('--frames', type=int, default=4, help='latent frames to generate and score')
    p.add_argument('--seeds', type=int, default=3); p.add_argument('--top_k', type=int, default=50, help='0: no top-k filter')
    p.add_argument('--temperature', type=float, default=1.0, help='of the sampled decoding and the long rollout')
    p.add_argument('--copy_temperature', type=float, default=None, help="models with a copy head: of its digit moves (default: --temperature)")
    p.add_argument('--steps', default='1,4,8,12', help='reveal steps of the masked runs, comma-separated')
    p.add_argument('--rollout', type=int, default=4, help='long rollout of this many times the training context (0: none)')
    p.add_argument('--tokenizer', default='', help="decode with this tokenizer instead of the store's (e.g. one whose decoder alone was trained on: same codes)")
    p.add_argument('--gifs', default='runs/frame_prediction'); p.add_argument('--out', default='runs/bench_frame_prediction.json')
    a = p.parse_args()
    ts = TokenStore(a.tokens); tok = load_tokenizer(a.tokenizer or ts.tokenizer).eval(); tc = tok.cfg
    if tuple(tc.levels) != ts.levels: raise SystemExit(f"the tokenizer {a.tokenizer} (FSQ levels {tuple(tc.levels)}) does not decode the store {a.tokens} (levels {ts.levels})")
    fs = FrameStore(ts.meta['store'])  # the frame store the tokens were made from
    start = ts.shots[a.val_shot][0]; n = a.prompt + a.frames
    if start + n > len(ts): raise SystemExit(f"prompt + generated ({n} latent frames) from latent {start} run past the store's {len(ts)}")
    prompt = np.asarray(ts.tokens[start:start + a.prompt]).astype(np.int64)
    moved = lambda latents: float((np.asarray(latents)[a.prompt:] != prompt[-1]).mean())  # tokens that differ from the last prompt frame's at their place: 0 = standing still
    f0 = tc.last_frame(start)  # decoding from latent `start` begins at the last frame it covers
    real = np.asarray(fs.frames[f0:f0 + tc.video_frames(n)])
    gen_slice = slice(tc.video_frames(a.prompt), tc.video_frames(n))  # the frames of the generated latents
    recon = decode_tokens(tok, np.asarray(ts.tokens[start:start + n]), progress=False)
    repeat = decode_tokens(tok, np.concatenate([prompt, np.repeat(prompt[-1:], a.frames, 0)]), progress=False)
    res = dict(tokens=a.tokens, sampling=dict(temperature=a.temperature, top_k=a.top_k or None, copy_temperature=a.copy_temperature, seeds=a.seeds, steps=a.steps),
               prompt_latent=int(start), real_frames=[int(f0), int(f0 + len(real))],
               ceiling_reconstruction=dict(scores(recon[gen_slice], real[gen_slice]), moved=moved(ts.tokens[start:start + n])), repeat_last_frame=scores(repeat[gen_slice], real[gen_slice]), models={})
    print(f"held-out shot {a.val_shot}: prompt latents {start}..{start + a.prompt - 1}, {a.frames} generated latent frames = frames {gen_slice.start}..{gen_slice.stop - 1} of the clip")
    print(f"  {'tokenizer reconstruction (ceiling)':42} " + '  '.join(f"{k} {v:.3f}" for k, v in res['ceiling_reconstruction'].items()))
    print(f"  {'repeat the last prompt latent frame':42} " + '  '.join(f"{k} {v:.3f}" for k, v in res['repeat_last_frame'].items()), flush=True)
    gifs = {'real': real, 'reconstruction': recon, 'repeat': repeat}
    energy = gradient_energy(torch.from_numpy(real[None])).item(); brightness = real.mean() / 255
    for run in a.runs:
        lm = load_lm(run).eval(); name = Path(run).name
        if (lm.cfg.levels, lm.cfg.latent_hw) != (ts.levels, ts.latent_size): raise SystemExit(f"{run} (levels {lm.cfg.levels}, latent frames {lm.cfg.latent_hw}) does not fit the store")
        if lm.cfg.audio_tokens: raise SystemExit(f"{run} makes sound: this benchmark scores video-only LMs")
        steps_list = tuple(int(n) for n in a.steps.split(',')) if lm.cfg.block == 'masked' else (1,)
        for steps in steps_list:
            key = name + (f' steps={steps}' if lm.cfg.block == 'masked' else '')
            r = res['models'][key] = {}
            sampled = Sampling(a.temperature, a.top_k or None, a.copy_temperature, steps)
            for label, sampling, seeds in (('greedy', Sampling(temperature=0, steps=steps), [0]), ('sampled', sampled, list(range(a.seeds)))):
                per_seed = []
                for s in seeds:
                    toks, frames, _ = generate_video(lm, tok, a.frames, prompt, sampling, seed=s)
                    per_seed.append(dict(scores(frames[gen_slice], real[gen_slice]), moved=moved(toks.numpy())))
                    if s == 0: gifs[f'{key} {label}'] = frames
                r[label] = {k: statistics.mean(d[k] for d in per_seed) for k in per_seed[0]}
                if len(per_seed) > 1: r[label]['psnr_per_seed'] = [round(d['psnr'], 3) for d in per_seed]  # the spread behind the mean
                print(f"  {key + ' ' + label:42} " + '  '.join(f"{k} {v:.3f}" for k, v in r[label].items() if k in ('psnr', 'ssim', 'sharpness', 'moved')), flush=True)
            if a.rollout and (steps == steps_list[-1] or steps == 8):  # a long rollout: `--rollout` x the training context, sampled
                long = a.rollout * lm.cfg.context_frames
                toks, frames, _ = generate_video(lm, tok, long, prompt, sampled, seed=0); gifs[f'{key} rollout'] = frames
                gifs.setdefault('real rollout', np.asarray(fs.frames[f0:f0 + len(frames)]))  # what the film does meanwhile
                per_latent = [frames[tc.first_frame(i):tc.last_frame(i) + 1] for i in range(a.prompt, len(toks))]
                r['rollout'] = dict(latent_frames=long, brightness=[round(float(f.mean() / 255), 4) for f in per_latent],
                                    sharpness=[round(gradient_energy(torch.from_numpy(f[None])).item() / energy, 3) for f in per_latent],
                                    real_brightness=round(float(brightness), 4))
                sh = r['rollout']['sharpness']; q = max(1, len(sh) // 4)
                print(f"     rollout of {long} latent frames: sharpness first/last quarter {np.mean(sh[:q]):.2f} / {np.mean(sh[-q:]):.2f}, "
                      f"brightness {r['rollout']['brightness'][0]:.3f} -> {r['rollout']['brightness'][-1]:.3f} (real {brightness:.3f})", flush=True)
    out = Path(a.gifs); out.mkdir(parents=True, exist_ok=True)
    for name, v in gifs.items(): write_video(v, out/f"{name.replace(' ', '_').replace('=', '')}.gif", fps=fs.fps)
    keys = ['real', 'reconstruction', 'repeat'] + [k for k in gifs if k.endswith('greedy')]
    length = max(len(gifs[k]) for k in keys)
    strip = lambda v: np.concatenate([v, np.repeat(v[-1:], length - len(v), 0)]) if len(v) < length else v[:length]
    write_video(np.concatenate([strip(gifs[k]) for k in keys], 2), out/'side_by_side.gif', fps=fs.fps)
    res['side_by_side'] = dict(file=str(out/'side_by_side.gif'), columns=keys)
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out, 'and', out)

if __name__ == '__main__': main()
