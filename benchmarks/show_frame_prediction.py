"""The pictures beside the frame-prediction table: the GIFs `bench_frame_prediction.py` wrote, chosen columns side by side
with their labels (a GIF, `willie_gen.widgets.side_by_side`) and as a contact sheet (a PNG, `contact_sheet`): the
generated frames (the GIFs hold what follows the prompt), each model's first sample.

    .venv/bin/python benchmarks/show_frame_prediction.py runs/frame_prediction real reconstruction repeat lm \\
        --labels real,tokenizer,repeat,LM --png nbs/images/frame_prediction_1k.png --gif nbs/images/frame_prediction_1k.gif

`--frames` picks the sheet's frames (default 0,5,10,15); each must lie inside the shortest GIF. `--labels` names the
columns (default: the GIF names; long names are cut to the column's width, so give short ones).
"""
import argparse
from pathlib import Path
from willie_gen.video import read_video
from willie_gen.widgets import contact_sheet, side_by_side

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('folder'); p.add_argument('names', nargs='+', help='GIF names in FOLDER, without .gif')
    p.add_argument('--frames', default='0,5,10,15', help='frames on the sheet')
    p.add_argument('--labels', default='', help='column labels, comma-separated (default: the GIF names)')
    p.add_argument('--png', required=True); p.add_argument('--gif', required=True); p.add_argument('--fps', type=float, default=8)
    a = p.parse_args()
    labels = a.labels.split(',') if a.labels else a.names
    if len(labels) != len(a.names): raise SystemExit(f"{len(labels)} labels for {len(a.names)} GIFs")
    videos = {l: read_video(Path(a.folder)/f'{n}.gif', channels=1) for l, n in zip(labels, a.names)}
    contact_sheet(videos, frames=[int(f) for f in a.frames.split(',')], path=a.png, scale=2); print('written', a.png)
    side_by_side(videos, path=a.gif, fps=a.fps, scale=1); print('written', a.gif)

if __name__ == '__main__': main()
