"""Tokenizer benchmark: willie_gen's `cpu` preset against lucidrains' magvit2-pytorch and the no-learning floor, on the
same clips (the shared Steamboat Willie footage at 64x64 gray, 17-frame clips, 4x8x8 compression, shot 2 = frames
449-625 held out), for the same wall-clock training budget; and encode/decode/training-step speed of every preset
beside the peer's, at the same input size.

Ours trains through the library's own `tokenizer_train` with `TokenizerTrainConfig`'s defaults (the same run as
`willie-gen tokenizer train STORE OUT --preset cpu --stride 1 --val_shots 2 --minutes M`); every field of
`TokenizerTrainConfig` is an option here too (`--decay none`, `--gan_weight 0.1`, ...), and only the ones you pass
change anything. Its scores are the trainer's own validation (raw and EMA weights), so a figure here is the
library's figure; the floor and the peer are scored with the same `willie_gen.metrics`.

The peer needs magvit2-pytorch, which is not a dependency of willie_gen: run it in the benchmark venv (see
benchmarks/peer_magvit2.py); without it, or with --skip-peer, the peer is skipped:

    .bench-venv/bin/python benchmarks/bench_tokenizer.py --what train --minutes 20 --out runs/bench_tokenizer.json
    .bench-venv/bin/python benchmarks/bench_tokenizer.py --what speed --out runs/bench_tokenizer.json
    .venv/bin/python benchmarks/bench_tokenizer.py --what train --skip-peer --decay none --minutes 20

`--what train` trains ours first, then the peer, one after the other, each with the whole machine (`--threads`). Our
budget counts validation time too (the trainer's clock); the peer's clock stops while it validates: if anything, that
favours the peer. Results are merged into the JSON file (`--out`; the frame store and our run go beside it), and
printed.
"""
import argparse, json, sys, time, types, typing
from dataclasses import asdict, fields
from importlib.util import find_spec
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).parent))
import peer_magvit2 as peer
from common import add_record_arg, write_result
from willie_gen.core import shared_clip, opening_clip
from willie_gen.tokenizer import VideoTokenizer, preset
from willie_gen.tokenizer_train import TokenizerTrainConfig, tokenizer_train
from willie_gen.tokenizer_train import reconstruction_fvd
from willie_gen.cli import config_docs, _numbers  # the command line's reading of a config's fields

def config_options(p:argparse.ArgumentParser, cls=TokenizerTrainConfig, skip=('progress', 'minutes', 'threads')):
    "An option for every field of `cls` but `skip` (the script's own), defaulting to nothing: only the fields given are overridden."
    g = p.add_argument_group(f"our training settings (any field of {cls.__name__}; default: the library's)")
    docs = config_docs(cls)  # the fields' comments
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        if f.name in skip: continue
        t = hints[f.name]
        if isinstance(t, types.UnionType): t = next(a for a in t.__args__ if a is not type(None))
        kw = dict(action=argparse.BooleanOptionalAction) if t is bool else dict(type=_numbers if t is tuple else t)
        g.add_argument(f'--{f.name}', default=argparse.SUPPRESS, help=f"{docs.get(f.name, '')} [{f.default!r}]".replace('%', '%%'), **kw)
    return [f.name for f in fields(cls) if f.name not in skip]

def _scores(row:dict, prefix:str) -> dict: return {k[len(prefix):]: v for k, v in row.items() if k.startswith(prefix)}

def train_ours(store, # the benchmark's frame store (`peer.make_clips`)
               minutes:float, out, # training budget; run folder
               preset_name:str='cpu', levels:str|None=None, resume:bool=False,
               train_eval_clips:int|None=None, # also score the EMA weights on this many training clips (the generalisation gap)
               **overrides) -> dict: # fields of `TokenizerTrainConfig` to change; the rest are the library's defaults
    "Our tokenizer trained by the library's `tokenizer_train` for `minutes`, scored by the trainer's own validation."
    cfg = TokenizerTrainConfig(**{'minutes': minutes, **overrides})
    t = tokenizer_train(store, out, preset_name, levels=levels, clip_len=peer.CLIP_LEN, stride=1,
                        val_shots=','.join(map(str, peer.VAL_SHOTS)), resume=resume, quiet=True, cfg=cfg)
    final = t.final_row()
    if 'val_psnr' not in final: final = t.validate()  # a run that was already finished
    curve = [{k: r.get(k) for k in ('step', 'minutes', 'val_psnr', 'val_ssim', 'val_sharpness', 'val_lpips', 'ema_val_psnr', 'ema_val_ssim',
                                   'ema_val_sharpness', 'ema_val_lpips', 'val_code_used', 'val_perplexity')} for r in t.history if 'val_psnr' in r]
    res = dict(params=t.raw_model.num_params(), steps=t.step, minutes=t.elapsed, preset=preset_name, levels=t.model_cfg.levels,
               config=asdict(t.cfg), final_raw=_scores(final, 'val_'), final_ema=_scores(final, 'ema_val_'), curve=curve)
    if train_eval_clips:  # the same validation, on as many training clips as there are validation clips
        val_ds, n = t.val_ds, len(t.train_ds)
        t.val_ds = torch.utils.data.Subset(t.train_ds, list(range(0, n, max(1, n // train_eval_clips)))[:train_eval_clips])
        try: res['train_ema'] = _scores(t.validate(), 'ema_val_')
        finally: t.val_ds = val_ds
        res['gap_db'] = res['train_ema']['psnr'] - res['final_ema']['psnr']
    val = torch.stack([t.val_ds[i] for i in range(len(t.val_ds))])
    res['rfvd'] = reconstruction_fvd(t.sample_model.eval(), val)  # EMA reconstructions of the held-out clips against them
    res['samples'] = str(t.write_samples(n=3))
    return res

def speeds(x, repeats, with_peer:bool=True):
    res = {}
    for name in ('tiny', 'cpu', 'base'):
        m = VideoTokenizer(preset(name)); opt = torch.optim.Adam(m.parameters(), 1e-4)
        def step(xb):
            r, _ = m(xb); loss = (r - xb).abs().mean(); opt.zero_grad(); loss.backward(); opt.step()
        m.eval()
        bs = (1,) if name == 'base' else (1, 4)  # base is a GPU model: one batch size is enough on a CPU
        res[name] = dict(params=m.num_params(), **peer.speed(lambda xb: m.encode(xb), lambda z: m.decode(z), x, step, batch_sizes=bs, repeats=repeats))
        print(name, json.dumps(res[name]))
    if with_peer:
        pm = peer.peer_model(); popt = torch.optim.Adam(pm.parameters(), 1e-4)
        res['magvit2_pytorch'] = dict(params=peer.peer_params(pm), **peer.speed(lambda xb: peer.peer_encode(pm, xb), lambda z: peer.peer_decode(pm, z), x,
                                                                            lambda xb: peer.peer_train_step(pm, popt, xb), repeats=repeats))
        print('magvit2_pytorch', json.dumps(res['magvit2_pytorch']))
    return res

def _row(r:dict) -> str:
    return (f"PSNR {r['psnr']:6.2f} dB   SSIM {r['ssim']:.3f}" + (f"   sharpness {r['sharpness']:.3f}   frame 0 {r['psnr_first']:.2f} dB" if 'sharpness' in r else '')
            + (f"   LPIPS {r['lpips']:.3f}" if 'lpips' in r else ''))

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--what', default='all', choices=['train', 'speed', 'all'])
    p.add_argument('--minutes', type=float, default=20, help="training budget of ours and of the peer (ours: also the trainer's `minutes`)")
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--repeats', type=int, default=5, help='timed repeats per speed figure')
    p.add_argument('--skip-peer', action='store_true', help='leave magvit2-pytorch out (train and time only ours and the floor)')
    p.add_argument('--preset', default='cpu', help='our tokenizer preset')
    p.add_argument('--levels', default=None, help="FSQ levels of ours, comma-separated, e.g. 8,5,5,5 (default: the preset's)")
    p.add_argument('--size', type=int, default=64, help='frame size of the store (64, or 128 for the mission size, e.g. with --preset cpu128)')
    p.add_argument('--resume', action='store_true', help='continue our run of the same tag (e.g. the GAN phase after a reconstruction run, copied)')
    p.add_argument('--from_run', default='', help='start the tagged run from the newest checkpoint of this run folder (copied)')
    p.add_argument('--tag', default='ours', help='name of our run (its folder and JSON section)')
    p.add_argument('--out', default='runs/bench_tokenizer.json'); add_record_arg(p)
    p.add_argument('--perceptual_net', default='vgg', help="the perceptual loss's LPIPS trunk, 'vgg' (the library's) or 'alex': an experiment (see the Results page)")
    names = config_options(p)
    a = p.parse_args(argv)
    overrides = {k: getattr(a, k) for k in names if hasattr(a, k)}
    torch.set_num_threads(a.threads)
    if a.perceptual_net != 'vgg':  # the experiment: the trainer's perceptual loss through another trunk
        import functools, willie_gen.tokenizer_train as tt
        tt.PerceptualLoss = functools.partial(tt.PerceptualLoss, a.perceptual_net)
    with_peer = not a.skip_peer
    if with_peer and find_spec('magvit2_pytorch') is None:
        print('magvit2-pytorch is not installed here: the peer is skipped (it runs in the benchmark venv, see benchmarks/peer_magvit2.py)')
        with_peer = False
    video = shared_clip() or opening_clip()  # the original encode where it is beside the repo, else the packaged one
    train_ds, val_ds, store = peer.make_clips(video, out=Path(a.out).parent/f'store_{a.size}g', size=a.size)
    print(f'{len(train_ds)} training clips, {len(val_ds)} validation clips (shot 2), torch {torch.__version__}, {a.threads} threads')
    res = {}
    if a.what in ('train', 'all'):
        res['floor'] = peer.evaluate(peer.floor_reconstruct, val_ds); print('floor', res['floor'])
        run = Path(a.out).parent/f'bench_tok_{a.tag}'
        if a.from_run and not run.exists():  # the GAN phase: a copy of a finished reconstruction run, trained on
            import shutil; shutil.copytree(a.from_run, run)
        t0 = time.time()
        res['ours'] = train_ours(store, a.minutes, run, a.preset, a.levels, resume=a.resume or bool(a.from_run), train_eval_clips=len(val_ds), **overrides)
        print('ours', json.dumps({k: v for k, v in res['ours'].items() if k not in ('curve', 'config')}), f'({(time.time() - t0) / 60:.1f} min)')
        for r in res['ours']['curve']: print('  ', r)
        if with_peer:
            pm = peer.peer_model()
            res['peer'] = dict(params=peer.peer_params(pm), **peer.train_peer(pm, train_ds, a.minutes, val_ds, eval_every=5))
            print('peer', json.dumps({k: v for k, v in res['peer'].items() if k != 'history'}))
        peer._merge_json(a.out, {'train' if a.tag == 'ours' else f'train_{a.tag}': res})
        if a.record: write_result(a.record, res, settings={k: v for k, v in vars(a).items() if k != 'record'})
    if a.what in ('speed', 'all'):
        x = torch.stack([val_ds[i] for i in range(4)])
        res['speed'] = speeds(x, a.repeats, with_peer); peer._merge_json(a.out, dict(speed=res['speed']))
    print('\nsummary (validation on the held-out shot):')
    if 'ours' in res:
        o = res['ours']
        rows = [('floor: avg-pool 4x8x8 + upsample', res['floor']), (f"ours ({o['params']/1e6:.1f}M, {o['steps']} steps, EMA)", o['final_ema']),
                ("ours (raw weights)", o['final_raw'])] + ([("ours (EMA) on training clips", o['train_ema'])] if 'train_ema' in o else [])
        if 'peer' in res: rows.append((f"magvit2-pytorch ({res['peer']['params']/1e6:.1f}M, {res['peer']['steps']} steps)", _scores(res['peer']['history'][-1], 'val_')))
        for name, r in rows: print(f"  {name:<45} {_row(r)}")
    if 'speed' in res:
        base = res['speed'].get('magvit2_pytorch')
        print('\nspeed at 17x64x64 gray' + (' (ratios: ours / magvit2-pytorch at the same batch; step: its time / ours):' if base else ':'))
        for bk in ('batch1', 'batch4'):
            for name, r in res['speed'].items():
                if bk not in r: continue
                b, pb = r[bk], base[bk] if base else None
                print(f"  {bk} {name:<16} {r['params']/1e6:6.2f}M  encode {b['encode_fps']:7.1f} f/s" + (f" ({b['encode_fps']/pb['encode_fps']:.2f}x)" if pb else '') +
                      f"  decode {b['decode_fps']:7.1f} f/s" + (f" ({b['decode_fps']/pb['decode_fps']:.2f}x)" if pb else '') +
                      f"  step {b['train_step_s']:.2f}s" + (f" ({pb['train_step_s'] / b['train_step_s']:.2f}x)" if pb else ''))
    return res

if __name__ == '__main__': main()
