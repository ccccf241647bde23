"""The language model on the film's tokens: each variant trained with `lm_train` (what `willie-gen lm train` runs) for
the same number of steps on the same token store (held-out shot 2 of the shared clip by default), then validation
bits/token against the unigram, repeat and digit-moves baselines, the best and the last validation figure, and ALiBi
extrapolation to 2x and 4x the training context (all from the run's report and log).

    .venv/bin/python benchmarks/bench_lm_film.py runs/tokens_64g --steps 300 --out runs/bench_lm_film.json [--record NAME]

Variants: every mode (token by token, next-frame, masked next-frame), each with and without spatial (row, column)
embeddings, the factorized FSQ head and the copy head. `--preset` (default `cpu`) and `--context_frames` size the
model. Train with `willie-gen lm train` for anything longer; this only makes the comparison repeatable. Each run goes
to RUNS/TOKENS_NAME/VARIANT_STEPS (an LM training run `bench_frame_prediction.py` takes). (Masked mode is scored with
nothing of the frame revealed, i.e. as a next-frame model; it is judged by frame prediction, see
`bench_frame_prediction.py`.)
"""
import argparse, contextlib, io, json
from pathlib import Path
from common import add_record_arg, write_result
from willie_gen.lm_train import LMTrainConfig, lm_train
from willie_gen.widgets import read_log

VARIANTS = {'token': dict(block='token'), 'frame': dict(block='frame'), 'masked': dict(block='masked'),
            'token_spatial': dict(block='token', spatial=1), 'frame_spatial': dict(block='frame', spatial=1),
            'masked_spatial': dict(block='masked', spatial=1),
            'token_factorized': dict(block='token', head='factorized'), 'token_spatial_factorized': dict(block='token', spatial=1, head='factorized'),
            'frame_spatial_factorized': dict(block='frame', spatial=1, head='factorized'),
            'token_spatial_copy': dict(block='token', spatial=1, copy=1), 'frame_spatial_copy': dict(block='frame', spatial=1, copy=1),
            'masked_spatial_copy': dict(block='masked', spatial=1, copy=1),
            'token_spatial_copy_factorized': dict(block='token', spatial=1, copy=1, head='factorized'),
            'frame_spatial_copy_factorized': dict(block='frame', spatial=1, copy=1, head='factorized'),
            'masked_spatial_copy_factorized': dict(block='masked', spatial=1, copy=1, head='factorized')}

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('tokens'); p.add_argument('--steps', type=int, default=300); p.add_argument('--batch_size', type=int, default=4)
    p.add_argument('--lr', type=float, default=1e-3); p.add_argument('--warmup', type=int, default=30); p.add_argument('--val_shots', default='2'); p.add_argument('--val_every', type=int, default=25)
    p.add_argument('--dropout', type=float, default=None); p.add_argument('--variants', default=','.join(VARIANTS)); p.add_argument('--runs', default='runs/bench_lm_film')
    p.add_argument('--preset', default='cpu', help='LM preset (tiny, cpu, base, large)'); p.add_argument('--context_frames', type=int, default=None)
    p.add_argument('--out', default='runs/bench_lm_film.json'); add_record_arg(p)
    a = p.parse_args()
    unknown = [v for v in a.variants.split(',') if v not in VARIANTS]
    if unknown: raise SystemExit(f"unknown variants {unknown} (row blocks, digit embeddings and context noise were removed); choose from {list(VARIANTS)}")
    res = {}
    for name in a.variants.split(','):
        out = Path(a.runs)/Path(a.tokens).name/f'{name}_{a.steps}'
        with contextlib.redirect_stdout(io.StringIO()):
            v = {'spatial': 0, 'copy': 0, 'head': 'full', **VARIANTS[name]}  # off unless the variant names them (the cpu preset has them on)
            rep = lm_train(a.tokens, str(out), preset=a.preset, context_frames=a.context_frames, val_shots=a.val_shots, dropout=a.dropout, quiet=True, **v,
                           cfg=LMTrainConfig(steps=a.steps, batch_size=a.batch_size, lr=a.lr, warmup=a.warmup, val_every=a.val_every, ckpt_every=a.steps))
        vals = [(r['step'], r['val_bits']) for r in read_log(out) if 'val_bits' in r]
        best = min(vals, key=lambda v: v[1])
        res[name] = dict(steps=rep['steps'], minutes=rep['minutes'], tokens_per_s=rep['tokens_per_s'], params=rep['params'],
                         final_val_bits=rep['final']['val_bits'], final_val_bits_ctx=rep['final']['val_bits_ctx'],
                         best_val_bits=best[1], best_step=best[0], extrapolation=rep['extrapolation'], baselines=rep['baselines'])
        ex = rep['extrapolation'] or {}
        print(f"{name:30} {rep['steps']} steps {rep['minutes']:.1f} min: val bits/token final {rep['final']['val_bits']:.3f} "
              f"(after the first frame {rep['final']['val_bits_ctx']:.3f}), best {best[1]:.3f} at step {best[0]:.0f}; "
              + ', '.join(f"{k}: full {v['full']:.3f} / sliding {v['sliding']:.3f}" for k, v in ex.items()), flush=True)
    b = next(iter(res.values()))['baselines']
    print(f"baselines: unigram {b['unigram']:.3f} ({b['unigram_ctx']:.3f} after the first frame), repeat {b['repeat']:.3f} ({b['repeat_ctx']:.3f}), "
          f"lam {b['lam']:.3f}, digit moves {b['digits']:.3f} ({b['digits_ctx']:.3f})")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(res, indent=1)); print('written to', a.out)
    if a.record: write_result(a.record, [dict(variant=k, **v) for k, v in res.items()], baselines=b,
                              settings=dict(tokens=a.tokens, steps=a.steps, batch_size=a.batch_size, lr=a.lr, warmup=a.warmup, val_shots=a.val_shots, preset=a.preset))

if __name__ == '__main__': main()
