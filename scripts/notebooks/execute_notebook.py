"""Executes one notebook with nbclient and writes the executed copy, also when a cell fails.

usage: python3 execute_notebook.py <in.ipynb> <out.ipynb> <kernel name> <cell timeout seconds>
Exit status 1 when a cell fails; the failing cell and what it printed go to stderr. (nbconvert
--execute writes nothing on failure, and tslab reports errors on stderr, which nbconvert's message
leaves out.)
"""
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(source, target, kernel, timeout):
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=int(timeout), startup_timeout=300,
                            resources={'metadata': {'path': os.path.dirname(os.path.abspath(source))}})
    failed = None
    try:
        client.execute()
    except CellExecutionError:
        executed = [c for c in nb.cells if c.cell_type == 'code' and c.get('execution_count') is not None]
        failed = executed[-1] if executed else None
    finally:
        nbformat.write(nb, target)
    if failed is None:
        return 0
    printed = ''.join(o.get('text', '') for o in failed.get('outputs', []) if o.get('output_type') == 'stream')
    sys.stderr.write('cell:\n%s\n\noutput:\n%s\n' % (failed.source, printed.strip() or '(nothing)'))
    return 1


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:5]))
