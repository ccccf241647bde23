"""Frame prediction on the held-out shot: prompt a language model with real frames it never trained on (2 latent frames =
5 frames), generate 4 latent frames (16 frames), decode them, and compare with the real frames that follow, per
generated frame: PSNR, SSIM, the sharpness ratio, and `moved` (the fraction of generated tokens that differ from the
last prompt frame's at the same place; the real tokens' fraction is the ceiling's). Beside them, in the same run:
"repeat the last prompt latent frame" decoded through the tokenizer (a model that predicts no motion), and the
tokenizer's own reconstruction of the real frames (the ceiling: what a perfect LM would get through this tokenizer).
Every LM run given is decoded greedily and sampled (several seeds); masked runs with 1, 4, 8 and 12 reveal steps
(`--steps`). Then a long rollout (4x the training context) from the same prompt, with the brightness and the sharpness
of every latent frame, so that drift shows.

    .venv/bin/python benchmarks/bench_frame_prediction.py TOKENS RUN [RUN ...] --out runs/bench_frame_prediction.json

TOKENS is a token store (its sidecar names the tokenizer); each RUN an LM training run on it (`willie-gen lm train`,
`bench_lm_film.py`). GIFs of real | reconstruction | repeat | each model go to `--gifs`.
"""
import argparse, json, statistics
from pathlib import Path
import numpy as np, torch
from willie_gen.data import FrameStore, shot_split
from willie_gen.generate import generate_tokens
from willie_gen.lm import load_lm
from willie_gen.metrics import gradient_energy, psnr, sharpness, ssim
from willie_gen.tokenize import TokenStore, decode_tokens
from willie_gen.tokenizer import load_tokenizer
from willie_gen.video import write_video

def scores(frames, real) -> dict:
    "Mean PSNR, SSIM and sharpness ratio over the frames (uint8 (T, H, W, C) each)."
    x, y = torch.from_numpy(np.ascontiguousarray(frames)), torch.from_numpy(np.ascontiguousarray(real))
    return dict(psnr=psnr(x, y).mean().item(), ssim=ssim(x, y).mean().item(), sharpness=sharpness(x, y).mean().item())

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('tokens'); p.add_argument('runs', nargs='+')
    p.add_argument('--val_shot', type=int, default=2); p.add_argument('--prompt', type=int, default=2); p.add_argument('--frames', type=int, default=4)
    p.add_argument('--seeds', type=int, default=3); p.add_argument('--top_k', type=int, default=50, help='0: no top-k filter')
    p.add_argument('--temperature', type=float, default=1.0, help='of the sampled decoding and the long rollout')
    p.add_argument('--copy_temperature', type=float, default=None, help="models with a copy head: of its digit moves (default: --temperature)")
    p.add_argument('--steps', default='1,4,8,12', help='reveal steps of the masked runs, comma-separated')
    p.add_argument('--tokenizer', default='', help="decode with this tokenizer instead of the store's (e.g. one whose decoder alone was trained on: same codes)")
    p.add_argument('--gifs', default='runs/frame_prediction'); p.add_argument('--out', default='runs/bench_frame_prediction.json')
    a = p.parse_args()
    ts = TokenStore(a.tokens); tok = load_tokenizer(a.tokenizer or ts.tokenizer).eval(); tc = tok.cfg
    if tuple(tc.levels) != ts.levels: raise SystemExit(f"the tokenizer {a.tokenizer} (FSQ levels {tuple(tc.levels)}) does not decode the store {a.tokens} (levels {ts.levels})")
    fs = FrameStore(json.loads((Path(a.tokens)/'tokens.json').read_text())['store'])
    start = ts.shots[a.val_shot][0]; n = a.prompt + a.frames
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
        steps_list = tuple(int(n) for n in a.steps.split(',')) if lm.cfg.block == 'masked' else (1,)
        for steps in steps_list:
            key = name + (f' steps={steps}' if lm.cfg.block == 'masked' else '')
            r = res['models'][key] = {}
            for label, temp, seeds in (('greedy', 0.0, [0]), ('sampled', a.temperature, list(range(a.seeds)))):
                per_seed = []
                for s in seeds:
                    toks = generate_tokens(lm, a.frames * lm.cfg.frame_tokens, torch.from_numpy(prompt).reshape(1, -1), temperature=temp,
                                           top_k=a.top_k or None, seed=s, steps=steps, copy_temperature=a.copy_temperature)[0].reshape(-1, *lm.cfg.latent_hw)
                    frames = decode_tokens(tok, toks.numpy(), progress=False)
                    per_seed.append(dict(scores(frames[gen_slice], real[gen_slice]), moved=moved(toks.numpy())))
                    if s == 0: gifs[f'{key} {label}'] = frames
                r[label] = {k: statistics.mean(d[k] for d in per_seed) for k in per_seed[0]}
                if len(per_seed) > 1: r[label]['psnr_per_seed'] = [round(d['psnr'], 3) for d in per_seed]  # the spread behind the mean
                print(f"  {key + ' ' + label:42} " + '  '.join(f"{k} {v:.3f}" for k, v in r[label].items() if k in ('psnr', 'ssim', 'sharpness', 'moved')), flush=True)
            if steps == steps_list[-1] or steps == 8:  # a long rollout: 4x the training context, sampled
                long = 4 * lm.cfg.context_frames
                toks = generate_tokens(lm, long * lm.cfg.frame_tokens, torch.from_numpy(prompt).reshape(1, -1), temperature=a.temperature,
                                       top_k=a.top_k or None, seed=0, steps=steps, copy_temperature=a.copy_temperature)[0].reshape(-1, *lm.cfg.latent_hw)
                frames = decode_tokens(tok, toks.numpy(), progress=False); gifs[f'{key} rollout'] = frames
                gifs.setdefault('real rollout', np.asarray(fs.frames[f0:f0 + len(frames)]))  # what the film does meanwhile
                per_latent = [frames[tc.first_frame(i):tc.last_frame(i) + 1] for i in range(a.prompt, len(toks))]
                r['rollout'] = dict(latent_frames=long, brightness=[round(float(f.mean() / 255), 4) for f in per_latent],
                                    sharpness=[round(gradient_energy(torch.from_numpy(f[None])).item() / energy, 3) for f in per_latent],
                                    real_brightness=round(float(brightness), 4))
                sh = r['rollout']['sharpness']
                print(f"     rollout of {long} latent frames: sharpness first/last quarter {np.mean(sh[:len(sh)//4]):.2f} / {np.mean(sh[-len(sh)//4:]):.2f}, "
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
