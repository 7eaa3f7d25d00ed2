#!/usr/bin/env python3
"""What the compiler made of one fused pass: its loop, counted.

Reads a program built from bench/inspect/pass.cpp (bench/inspect.sh builds
it) with objdump, follows the calls from actx_inspected_pass, and finds the
loop over whole vectors: of the loops that store vector registers to memory
other than the stack, the one with the most vector arithmetic.  Prints, for
that loop, what its body holds per step and per vector (x86-64 code):

  loop_counts.py BINARY             the counts
  loop_counts.py BINARY --listing   and the loop's instructions
  loop_counts.py BINARY --all       and a line for each other loop that stores vectors
  loop_counts.py BINARY --json      the counts as JSON
  loop_counts.py BINARY --row LABEL a row of bench/inspect.sh's table
  loop_counts.py --header           that table's header

The counts are of the code, not of what runs: the loop branches out to fix
a rare vector (that code, which calls out of line, is not counted), and a
pass that may stream its stores holds ordinary and streaming stores, of
which one kind runs; where it writes several arrays, g++ writes the
combinations as separate tails, all counted.  "Vectors per step" is the
loop's whole vectors read from its arrays (distinct addresses: a vector
the loop reads twice is one) over the number of arrays
the pass reads (pass.cpp records it in the program); "per vector" divides
by it.
"""
import json
import re
import subprocess
import sys

FUNCTION = re.compile(r'^([0-9a-f]+) <(.+)>:$')
INSTRUCTION = re.compile(r'^\s+([0-9a-f]+):\t(\S+)\s*(.*)$')
MEMORY = re.compile(r'(?:-?0x[0-9a-f]+)?\((%[a-z0-9]+)?(?:,(%[a-z0-9]+))?(?:,\d)?\)')
TARGET = re.compile(r'^([0-9a-f]+)\b')
VECTOR_REGISTER = re.compile(r'%([xyz])mm\d+')
WIDTH = {'x': 128, 'y': 256, 'z': 512}

# (category, pattern of its mnemonics): the first that matches counts.
CATEGORIES = [
    ('division', r'v?div[ps][sd]$'),
    ('square root', r'v?sqrt[ps][sd]$'),
    ('reciprocal estimate', r'v?(rcp|rsqrt)(14|28)?[ps][sd]$'),
    ('fma', r'vf(n)?m(add|sub)(sub|add)?(132|213|231)[ps][sd]$'),
    ('multiply', r'v?mul[ps][sd]$'),
    ('add, subtract', r'v?(add|sub)[ps][sd]$'),
    ('min, max', r'v?(min|max)[ps][sd]$'),
    ('exponent (scalef, getexp, getmant)', r'v(scalef|getexp|getmant)[ps][sd]$'),
    ('compare, classify', r'v?(cmp\w*[ps][sd]|fpclass[ps][sd]|ptestn?m[bwdq]|pcmp\w+)$'),
    ('select (blend, fixup)', r'v?(p?blendm?v?[bwdq]?(ps|pd)?|fixupimm[ps][sd])$'),
    ('conversion, rounding', r'v?(cvt\w+|round[ps][sd]|rndscale[ps][sd])$'),
    ('logic', r'v?p?(and|andn|or|xor)([ps][sd]|[dq]?)$|vpternlog[dq]$'),
    ('integer arithmetic, shifts', r'v?p(add|sub|sll|srl|sra|mul|min|max|abs)\w*$'),
    ('permute, shuffle', r'v?(perm\w+|pshuf\w*|shuf\w+|unpck\w+|punpck\w+|insert\w+|extract\w+|'
                         r'broadcast\w+|pbroadcast\w+|movsh?dup|movhlps|movlhps|palignr|valign[dq])$'),
    ('mask register', r'k\w+$'),
]


def objdump(binary):
    out = subprocess.run(['objdump', '-d', '--no-show-raw-insn', '-C', binary],
                         capture_output=True, text=True, check=True).stdout
    functions, current = {}, None
    for line in out.split('\n'):
        f = FUNCTION.match(line)
        if f:
            current = {'name': f.group(2), 'start': int(f.group(1), 16), 'code': [], 'references': []}
            functions[current['start']] = current
            continue
        i = INSTRUCTION.match(line)
        if i and current is not None:
            operands, _, comment = i.group(3).partition('#')
            current['code'].append((int(i.group(1), 16), i.group(2), operands.strip()))
            r = re.match(r'\s*([0-9a-f]+) <', comment)
            if r:  # an address taken, as of a function run through a pointer
                current['references'].append(int(r.group(1), 16))
    return functions


def reachable(functions, root):
    """The functions actx_inspected_pass calls, jumps to or takes the address
    of (the kernel runs its segments through a pointer), itself included."""
    starts = {f['name']: a for a, f in functions.items()}
    if root not in starts:
        raise SystemExit(f'loop_counts.py: no function {root} in the program')
    seen, todo = set(), [starts[root]]
    while todo:
        a = todo.pop()
        if a in seen or a not in functions:
            continue
        seen.add(a)
        f = functions[a]
        targets = list(f['references'])
        for _, mnemonic, operands in f['code']:
            t = TARGET.match(operands)
            if t and (mnemonic.startswith('call') or mnemonic.startswith('jmp')):
                targets.append(int(t.group(1), 16))
        todo.extend(t for t in targets if t in functions)
    return [functions[a] for a in sorted(seen)]


def is_store(mnemonic, operands):
    if not re.match(r'v?(mov\w*|maskmov\w*|pmaskmov\w*|compress\w*|pcompress\w*)$', mnemonic):
        return None
    parts = split_operands(operands)
    if len(parts) < 2 or not VECTOR_REGISTER.fullmatch(parts[0]) or not MEMORY.search(parts[-1]):
        return None
    return MEMORY.search(parts[-1])


def split_operands(operands):
    parts, depth, current = [], 0, ''
    for c in operands:
        if c == ',' and depth == 0:
            parts.append(current)
            current = ''
            continue
        depth += c == '('
        depth -= c == ')'
        current += c
    if current:
        parts.append(current)
    return [p.strip() for p in parts]


def on_stack(match):
    return match.group(1) in ('%rsp', '%rbp')


def successors(code, index, k):
    _, mnemonic, operands = code[k]
    if mnemonic.startswith('ret') or mnemonic in ('ud2', 'hlt'):
        return []
    following = [k + 1] if k + 1 < len(code) else []
    if not mnemonic.startswith('j'):
        return following
    t = TARGET.match(operands)
    target = [index[int(t.group(1), 16)]] if t and int(t.group(1), 16) in index else []
    return target if mnemonic.startswith('jmp') else following + target


def loops(function):
    """The natural loop of each backward jump, without what leads to or
    follows a call: the rare vector's fix and the call set-up are not the
    loop's work."""
    code = function['code']
    index = {a: k for k, (a, _, _) in enumerate(code)}
    after = [successors(code, index, k) for k in range(len(code))]
    before = [[] for _ in code]
    for k, s in enumerate(after):
        for n in s:
            before[n].append(k)
    calls = {k for k, (_, m, _) in enumerate(code) if m.startswith('call')}
    found = {}
    for k in range(len(code)):
        for head in after[k]:
            if head > k or head in calls or k in calls:
                continue
            # Nodes from which k is reached without passing the head, then those
            # the head reaches inside them.
            back, todo = {head, k}, [k]
            while todo:
                n = todo.pop()
                for p in before[n]:
                    if p not in back and p not in calls:
                        back.add(p)
                        todo.append(p)
            body, todo = {head}, [head]
            while todo:
                n = todo.pop()
                for s in after[n]:
                    if s in back and s not in body:
                        body.add(s)
                        todo.append(s)
            if k in body:
                found.setdefault(head, set()).update(body)
    return [frozenset(body) for body in found.values()]  # the back edges to one head are one loop


def vector_loops(functions):
    """The loops that store vectors, those that share code merged: g++
    writes a loop that may stream its stores as several back edges over one
    body (one store of each kind), and their natural loops overlap."""
    merged = []
    for f in functions:
        groups = []
        for body in set(loops(f)):
            code = [f['code'][k] for k in body]
            if not any((st := is_store(m, o)) and not on_stack(st) for _, m, o in code):
                continue
            body = set(body)
            for g in [g for g in groups if g & body]:
                body |= g
                groups.remove(g)
            groups.append(body)
        merged += [(f, g) for g in groups]
    return merged


def count(body, sources):
    width = max((WIDTH[r] for _, _, o in body for r in VECTOR_REGISTER.findall(o)), default=0)
    full = {128: 'x', 256: 'y', 512: 'z'}.get(width)
    counts = {name: 0 for name, _ in CATEGORIES}
    extra = {'array loads': 0, 'constant loads': 0, 'stack reloads': 0, 'stack spills': 0,
             'vector stores': 0, 'streaming stores': 0, 'register moves': 0, 'other (scalar, branches)': 0}
    addresses = set()  # of the array loads: a vector read twice is one vector of the step
    for _, mnemonic, operands in body:
        parts = split_operands(operands)
        store = is_store(mnemonic, operands)
        if store:
            extra['stack spills' if on_stack(store) else
                  'streaming stores' if 'nt' in mnemonic else 'vector stores'] += 1
            continue
        memory = [(p, m) for p in parts[:-1] if (m := MEMORY.search(p))]  # the operands read from memory
        if memory:
            if any(m.group(1) == '%rip' for _, m in memory):
                extra['constant loads'] += 1
            elif any(on_stack(m) for _, m in memory):
                extra['stack reloads'] += 1
            elif '{1to' not in operands and parts and parts[-1].startswith(f'%{full}mm') and \
                    not re.match(r'v?(p?broadcast\w*|movd|movq|\w+s[sd])$', mnemonic):
                extra['array loads'] += 1  # a whole vector of an array, alone or folded into an operation
                addresses.add(memory[0][0])
            if re.match(r'v?(mov|broadcast|pbroadcast)', mnemonic):
                continue  # a plain load: counted above only
        if re.match(r'v?mov(aps|ups|apd|upd|dqa\d*|dqu\d*)$', mnemonic) and len(parts) == 2 and \
                all(VECTOR_REGISTER.fullmatch(p) for p in parts):
            extra['register moves'] += 1
            continue
        for name, pattern in CATEGORIES:
            if re.match(pattern, mnemonic) and (VECTOR_REGISTER.search(operands) or name == 'mask register'):
                counts[name] += 1
                break
        else:
            extra['other (scalar, branches)'] += 1
    return {
        'register bits': width,
        'sources': sources,
        'vectors per step': len(addresses) / sources if sources else 0,
        'instructions': len(body),
        'counts': {**counts, **extra},
    }


def sources_of(binary):
    with open(binary, 'rb') as f:
        found = re.search(rb'actx-sources=(\d)', f.read())
    if not found:
        raise SystemExit(f'loop_counts.py: {binary} is not built from bench/inspect/pass.cpp')
    return int(found.group(1))


def analyse(binary, root='actx_inspected_pass'):
    functions = reachable(objdump(binary), root)
    found = vector_loops(functions)
    if not found:
        raise SystemExit(f'loop_counts.py: no loop storing vectors in what {root} calls')
    sources = sources_of(binary)
    results = []
    for f, nodes in found:
        body = [f['code'][k] for k in sorted(nodes)]
        result = count(body, sources)
        result['function'] = f['name']
        result['body'] = [f"{a:x}: {m} {re.sub(r' <.*>$', '', o)}".rstrip() for a, m, o in body]
        results.append(result)
    # The loop over whole vectors reads whole vectors of its arrays and does
    # the most arithmetic of those that do: a kernel also holds the loop
    # that fixes a rare vector lane by lane, and with a parameter gradient
    # loops that add up its sums.
    results.sort(key=lambda r: (r['vectors per step'] >= 1, arithmetic(r), r['instructions']), reverse=True)
    if results[0]['vectors per step'] == 0:
        raise SystemExit('loop_counts.py: the loop reads no whole vector of its arrays')
    results[0]['other loops'] = results[1:]
    return results[0]


ARITHMETIC = ['division', 'square root', 'reciprocal estimate', 'fma', 'multiply', 'add, subtract', 'min, max',
              'exponent (scalef, getexp, getmant)', 'compare, classify', 'select (blend, fixup)']


def arithmetic(result):
    return sum(result['counts'][n] for n in ARITHMETIC)


COLUMNS = [('fma', ['fma']), ('mul, add, min, max', ['multiply', 'add, subtract', 'min, max']),
           ('div', ['division', 'reciprocal estimate']), ('exponent', ['exponent (scalef, getexp, getmant)']),
           ('compare, classify', ['compare, classify']), ('select', ['select (blend, fixup)']),
           ('stack spills', ['stack spills']), ('stack reloads', ['stack reloads'])]


def main():
    args = sys.argv[1:]
    if args == ['--header']:
        print('| activation | pass | floats a vector | vectors a step | instructions | ' +
              ' | '.join(name for name, _ in COLUMNS) + ' |')
        print('|---' * (5 + len(COLUMNS)) + '|')
        return
    if not args or args[0].startswith('-'):
        raise SystemExit(__doc__)
    result = analyse(args[0])
    v, c = result['vectors per step'], result['counts']
    if '--json' in args:
        print(json.dumps({k: v for k, v in result.items() if k != 'other loops'}, indent=1))
        return
    if '--row' in args:
        cells = [f"{sum(c[n] for n in names) / v:.2f}".rstrip('0').rstrip('.') for _, names in COLUMNS]
        print(f"| {args[args.index('--row') + 1]} | {result['register bits'] // 32} | {v:g} | "
              f"{result['instructions'] / v:.1f} | " + ' | '.join(cells) + ' |')
        return
    print(f"loop in {result['function'][:160]}")
    print(f"{result['register bits']}-bit vectors ({result['register bits'] // 32} floats), {v:g} per step "
          f"(whole vectors read from {result['sources']} array(s)); {result['instructions']} instructions, "
          f"{result['instructions'] / v:.1f} per vector")
    print(f"{'':34} {'loop':>5} {'per vector':>11}")
    for name, c in result['counts'].items():
        if c:
            print(f'{name:34} {c:5d} {c / v:11.2f}')
    if '--listing' in args:
        print('\n'.join(result['body']))
    if '--all' in args:
        for other in result['other loops']:
            print(f"also a loop at {other['body'][0].split(':')[0]}: {other['instructions']} instructions, "
                  f"{arithmetic(other)} of vector arithmetic, whole-vector loads {other['counts']['array loads']}")


if __name__ == '__main__':
    main()
