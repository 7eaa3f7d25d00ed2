#!/usr/bin/env python3
"""The shared work of forward_backward, in the machine code.

tests/unit/kernel_counting.cpp proves that a fused pass evaluates each
primitive once per element, by counting evaluations of an instrumented value
type.  This checks that the compiler kept it so: in the loop over whole
vectors of each pass (bench/loop_counts.py reads it from the program built from
bench/inspect/pass.cpp), the divisions per vector of floats are those the
primitives state in their cost per vector, and forward_backward has no more
of them than forward or backward alone (one reciprocal of 1 + e^-|x| per
element for silu and softplus, one in gelu's erfc, one in each of mish's two
double-lane halves).  Each program also runs its pass once.

  shared_work.py DIRECTORY   the programs machine_code_<activation>_<pass>
"""
import importlib.util
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('loop_counts', os.path.join(here, '..', '..', 'bench', 'loop_counts.py'))
loop_counts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(loop_counts)

# Divisions per vector of floats, from each primitive's "Cost per vector":
# sigmoid.hpp (silu's sigmoid: 1 div), normcdf.hpp (gelu: 1 div),
# log1pexp.hpp (softplus: 1 div; its derivative, sigmoid, from the same
# reciprocal), softplus_tanh.hpp (mish: 1 division in each of two halves of
# double lanes).
EXPECTED_DIVISIONS = {'silu': 1, 'gelu': 1, 'softplus': 1, 'mish': 2}
PASSES = ['forward', 'backward', 'forward_backward']


def main():
    directory = sys.argv[1]
    failures = []
    for activation, expected in EXPECTED_DIVISIONS.items():
        for p in PASSES:
            program = os.path.join(directory, f'machine_code_{activation}_{p}')
            subprocess.run([program], check=True, stdout=subprocess.DEVNULL)
            r = loop_counts.analyse(program)
            v = r['vectors per step']
            divisions = (r['counts']['division'] + r['counts']['reciprocal estimate']) / v
            print(f"{activation:9} {p:17} {r['register bits']}-bit vectors, {v:g} per step, "
                  f"{r['instructions'] / v:6.1f} instructions and {divisions:g} divisions per vector")
            if v < 1 or v != int(v):
                failures.append(f'{activation} {p}: {v:g} vectors per step is not a whole number of vectors')
            if divisions != expected:
                failures.append(f'{activation} {p}: {divisions:g} divisions per vector, {expected} expected')
    for f in failures:
        print('FAILED:', f)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
