# Coefficient fitting for include/actx/math/vector/*.hpp (python3 + mpmath, Debian python3-mpmath).
# Each fit is Chebyshev interpolation (near-minimax) at 4*degree nodes by least squares,
# in the relative sense, then converted to monomials of the stated variable and rounded
# to the working precision; the printed error is measured after rounding on a dense grid.
import mpmath as mp, struct, sys
mp.mp.dps = 50

def fit(f, lo, hi, deg, prec=53, weight=None, npts=None):
    """least-squares polynomial in x on [lo,hi] at Chebyshev nodes, relative weighting."""
    n = npts or 6 * (deg + 1)
    xs = [(lo + hi) / 2 + (hi - lo) / 2 * mp.cos(mp.pi * (k + mp.mpf(0.5)) / n) for k in range(n)]
    ys = [f(x) for x in xs]
    w = [1 / abs(y) if weight is None else weight(x) for x, y in zip(xs, ys)]
    A = mp.matrix([[w[i] * xs[i] ** j for j in range(deg + 1)] for i in range(n)])
    b = mp.matrix([w[i] * ys[i] for i in range(n)])
    c = mp.qr_solve(A, b)[0]
    c = [c[j] for j in range(deg + 1)]
    rnd = (lambda v: mp.mpf(float(v))) if prec == 53 else (lambda v: mp.mpf(struct.unpack('f', struct.pack('f', float(v)))[0]))
    c = [rnd(v) for v in c]
    err = 0
    for k in range(2001):
        x = lo + (hi - lo) * k / 2000
        y = f(x)
        if y == 0: continue
        p = mp.polyval(c[::-1], x)
        err = max(err, abs((p - y) / y))
    return c, err

def show(name, c, err, prec):
    print(f"# {name}: max rel err {float(err):.3g} (2^{float(mp.log(err, 2)):.1f})")
    fmt = (lambda v: float.hex(float(v))) if prec == 53 else (lambda v: float.hex(float(v)) + "f")
    print("  " + ", ".join(fmt(v) for v in c))

def normal_tail_fit(deg, float_from):
    """The tail Q(a) = e^(-a^2/2) t P(t), t = 4/(4+a), a in [0.67, 14.5], relative, with P
    of degree deg in s = t - c, c = 0.43f (s is exact: t in [0.216, 0.857] lies in [c/2, 2c]).
    The coefficients deg .. float_from are rounded to float one at a time from the top, the
    lower ones refitted after each.  Returns K, g (= P's target), f32, c, those floats, and
    refit (the least-squares fit of the rest given some fixed coefficients)."""
    K = mp.mpf(4)
    g = lambda t: mp.erfc(K*(1-t)/t/mp.sqrt(2))/2 * mp.exp((K*(1-t)/t)**2/2) / t
    f32 = lambda v: mp.mpf(struct.unpack('f', struct.pack('f', float(v)))[0])
    c = f32(0.43)
    lo, hi = K/(K+mp.mpf(14.5)) - c, K/(K+mp.mpf(0.67)) - c
    n = 80
    xs = [(lo+hi)/2 + (hi-lo)/2*mp.cos(mp.pi*(k+mp.mpf(0.5))/n) for k in range(n)]
    ys = [g(s + c) for s in xs]
    def refit(fixed):
        free = [j for j in range(deg+1) if j not in fixed]
        A = mp.matrix([[xs[i]**j/ys[i] for j in free] for i in range(n)])
        b = mp.matrix([(ys[i] - sum(v*xs[i]**j for j, v in fixed.items()))/ys[i] for i in range(n)])
        sol = mp.qr_solve(A, b)[0]
        return {**fixed, **{j: sol[k] for k, j in enumerate(free)}}
    fixed = {}
    for j in range(deg, float_from - 1, -1):
        fixed[j] = f32(refit(fixed)[j])
    return K, g, f32, c, fixed, refit

which = sys.argv[1:] or ["all"]
L2 = mp.log(2)
if "exp_float" in which or "all" in which:
    # e^r = 1 + r + r^2 q(r), r in [-ln2/2, ln2/2]; q fitted in float (relative to e^r).
    for deg in (3, 4):
        f = lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(0.5)
        c, _ = fit(f, -L2/2*1.001, L2/2*1.001, deg, prec=24, weight=lambda r: 1)
        err = max(abs(1 + r + r*r*mp.polyval(c[::-1], r) - mp.exp(r)) / mp.exp(r)
                  for r in mp.linspace(-L2/2, L2/2, 2001))
        show(f"exp float q deg {deg}", c, err, 24)
if "expm1_double" in which or "all" in which:
    # expm1(r) = r + r^2/2 + r^3 q(r), r in [-ln2/2, ln2/2], relative to expm1(r).
    for deg in (5, 6):
        f = lambda r: (mp.expm1(r) - r - r*r/2) / r**3 if r != 0 else mp.mpf(1)/6
        c, _ = fit(f, -L2/2*1.001, L2/2*1.001, deg, weight=lambda r: abs(r**3/mp.expm1(r)) if r else 0)
        err = max(abs(r + r*r/2 + r**3*mp.polyval(c[::-1], r) - mp.expm1(r)) / abs(mp.expm1(r))
                  for r in mp.linspace(-L2/2, L2/2, 2000) if r != 0)
        show(f"expm1 double q deg {deg}", c, err, 53)
if "log_double" in which or "all" in which:
    # log((1+s)/(1-s)) = 2s + s^3 L(s^2), |s| <= 3-2sqrt2.
    smax = 3 - 2 * mp.sqrt(2)
    for deg in (3, 4):
        f = lambda z: (mp.log((1 + mp.sqrt(z)) / (1 - mp.sqrt(z))) - 2 * mp.sqrt(z)) / z**mp.mpf(1.5) if z else mp.mpf(2)/3
        c, _ = fit(f, mp.mpf(0), smax**2 * 1.001, deg, weight=lambda z: 1)
        err = max(abs(2*s + s**3*mp.polyval(c[::-1], s*s) - mp.log((1+s)/(1-s))) / abs(mp.log((1+s)/(1-s)))
                  for s in mp.linspace(smax/2000, smax, 2000))
        show(f"log double L deg {deg}", c, err, 53)
if "erfc_double" in which or "all" in which:
    # erfc(y) = t e^(-y^2) P(t), t = K/(K+y), y in [0, 11]; P fitted in t, relative.
    K = mp.mpf(sys.argv[2]) if len(sys.argv) > 2 else mp.mpf(2)
    tmin = K / (K + 11)
    g = lambda t: mp.erfc(K*(1-t)/t) * mp.exp((K*(1-t)/t)**2) / t
    for deg in [int(d) for d in (sys.argv[3:] or ["12"])]:
        c, err = fit(g, tmin, mp.mpf(1), deg, npts=8*(deg+1))
        show(f"erfc double P deg {deg} K {K}", c, err, 53)
if "erf_double" in which or "all" in which:
    # erf(x) = x E(x^2), |x| <= 1/2.
    for deg in (5, 6):
        f = lambda z: mp.erf(mp.sqrt(z)) / mp.sqrt(z) if z else 2 / mp.sqrt(mp.pi)
        c, err = fit(f, mp.mpf(0), mp.mpf(0.25), deg)
        show(f"erf double E deg {deg}", c, err, 53)
if "tanhshrink_double" in which or "all" in which:
    # x - tanh x = x^3 S(x^2), |x| <= 1/2.
    for deg in (5, 6, 7):
        f = lambda z: (mp.sqrt(z) - mp.tanh(mp.sqrt(z))) / z**mp.mpf(1.5) if z else mp.mpf(1)/3
        c, err = fit(f, mp.mpf(0), mp.mpf(0.25), deg)
        show(f"tanhshrink double S deg {deg}", c, err, 53)
if "tanh_float" in which or "all" in which:
    # tanh(x) = x + x^3 P(x^2), |x| <= ln3/2; P fitted in float, relative to tanh.
    X = mp.log(3) / 2
    f = lambda z: (mp.tanh(mp.sqrt(z)) - mp.sqrt(z)) / z**mp.mpf(1.5) if z else -mp.mpf(1)/3
    c, _ = fit(f, mp.mpf(0), X*X*1.001, 4, prec=24, weight=lambda z: mp.sqrt(z)**3/mp.tanh(mp.sqrt(z)) if z else 0)
    err = max(abs(x + x**3*mp.polyval(c[::-1], x*x) - mp.tanh(x))/mp.tanh(x) for x in mp.linspace(X/2000, X, 2000))
    show("tanh float P deg 4", c, err, 24)
if "normal_centred" in which or "all" in which:
    # Q(a) = Phi(-a) = e^(-a^2/2) t P(t), t = 4/(4+a), a in [0.67, 14.5], relative;
    # P in s = t - c, c = 0.43f (s is exact: t in [0.216, 0.857] lies in [c/2, 2c]),
    # evaluated in float lanes: b9..b4 rounded to float one at a time from the top, the
    # lower ones refitted after each; b3..b0 then as two floats each, the last four
    # Horner steps in two floats.  The error printed is of that evaluation, simulated
    # in float arithmetic (every operation rounded to float, fma once).
    deg, pairs_from = 9, 4
    K, g, f32, c, fixed, refit = normal_tail_fit(deg, pairs_from)
    full = refit(fixed)
    pairs = [(f32(full[j]), f32(full[j] - f32(full[j]))) for j in range(pairs_from)]
    def evaluate(t):
        s = f32(t - c)
        q = fixed[deg]
        for j in range(deg - 1, pairs_from - 1, -1):
            q = f32(q * s + fixed[j])
        ql = mp.mpf(0)
        for bh, bl in pairs[::-1]:
            m = f32(s * q)
            h = f32(bh + m)
            low = f32(f32(f32(s * q - m) + f32(f32(bh - h) + m)) + bl)
            ql, q = f32(s * ql + low), h
        return q + ql
    err = 0
    for k in range(4001):
        a = f32(mp.mpf(0.67) + (mp.mpf(14.5) - mp.mpf(0.67)) * k / 4000)
        t = f32(K / f32(K + a))
        err = max(err, abs(evaluate(t) / g(t) - 1))
    print(f"# normal centred P deg 9 in t - {float(c).hex()}f, as evaluated: max rel err {float(err):.3g} (2^{float(mp.log(err, 2)):.1f})")
    print("  b9..b4: " + ", ".join(float.hex(float(fixed[j])) + "f" for j in range(deg, pairs_from - 1, -1)))
    print("  b3..b0 (hi, lo): " + ", ".join(f"{float.hex(float(h))}f, {float.hex(float(l))}f" for h, l in pairs[::-1]))
if "normal_fast" in which or "all" in which:
    # The fast path's tail (detail/fast_kernels.hpp): Q(a) = e^(-a^2/2) t P(t), t = 4/(4+a),
    # a in [0.67, 14.5], P of degree 7 in s = t - 0.43f, all in float: the coefficients
    # rounded to float one at a time from the top (the lower ones refitted after each),
    # the error printed of Horner's scheme simulated in float at the rounded t.
    deg = 7
    K, g, f32, c, fixed, _ = normal_tail_fit(deg, 0)
    err = 0
    for k in range(3001):
        a = f32(mp.mpf(0.67) + (mp.mpf(14.5) - mp.mpf(0.67)) * k / 3000)
        t = f32(K / f32(K + a))
        s = f32(t - c)
        q = fixed[deg]
        for j in range(deg - 1, -1, -1):
            q = f32(q * s + fixed[j])
        err = max(err, abs(q / g(t) - 1))
    print(f"# normal fast P deg {deg} in t - {float(c).hex()}f, in float: max rel err {float(err):.3g} (2^{float(mp.log(err, 2)):.1f})")
    print("  " + ", ".join(float.hex(float(fixed[j])) + "f" for j in range(deg, -1, -1)))
if "normal_small" in which or "all" in which:
    # Phi(x) = 1/2 + x (c0 + x^2 E1(x^2)), |x| <= 0.68 (used below 0.67), c0 = 1/sqrt(2 pi) kept exact.
    Phi = lambda x: mp.erfc(-x/mp.sqrt(2))/2
    c0 = 1/mp.sqrt(2*mp.pi)
    f = lambda z: ((Phi(mp.sqrt(z)) - mp.mpf(0.5))/mp.sqrt(z) - c0)/z if z else -c0/6
    c, _ = fit(f, mp.mpf(0), mp.mpf(0.68)**2*1.001, 3, prec=24)
    err = max(abs(mp.mpf(0.5) - x*(c0 + x*x*mp.polyval(c[::-1], x*x)) - Phi(-x))/Phi(-x) for x in mp.linspace(0, 0.68, 2000))
    show("normal small E1 deg 3", c, err, 24)
if "log1p_float" in which or "all" in which:
    # log1p(g) = g - g^2/2 + g^3 P(g), g in [sqrt 1/2 - 1, sqrt 2 - 1]; P fitted in float, relative.
    lo, hi = mp.sqrt(mp.mpf(0.5)) - 1, mp.sqrt(2) - 1
    f = lambda g: (mp.log1p(g) - g + g*g/2)/g**3 if g else mp.mpf(1)/3
    c, _ = fit(f, lo*1.001, hi*1.001, 7, prec=24, weight=lambda g: abs(g**3/mp.log1p(g)) if g else 0)
    err = max(abs(g - g*g/2 + g**3*mp.polyval(c[::-1], g) - mp.log1p(g))/abs(mp.log1p(g)) for g in mp.linspace(lo, hi, 2001) if g)
    show("log1p float P deg 7", c, err, 24)
if "tanhshrink_float" in which or "all" in which:
    # x - tanh x = x^3 S(x^2), |x| <= 1; S fitted in float, relative.
    f = lambda z: (mp.sqrt(z) - mp.tanh(mp.sqrt(z))) / z**mp.mpf(1.5) if z else mp.mpf(1)/3
    c, err = fit(f, mp.mpf(0), mp.mpf(1.001), 8, prec=24)
    show("tanhshrink float S deg 8", c, err, 24)
# ---- double lanes to double precision (float_kernels.hpp's double overloads) ----
if "exp_double_lanes" in which or "all" in which:
    # e^r = 1 + r + r^2 q(r), r in [-ln2/2, ln2/2]; q of degree 10 in double.
    f = lambda r: (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(0.5)
    c, _ = fit(f, -L2/2*1.001, L2/2*1.001, 10, weight=lambda r: 1)
    err = max(abs(1 + r + r*r*mp.polyval(c[::-1], r) - mp.exp(r)) / mp.exp(r) for r in mp.linspace(-L2/2, L2/2, 2001))
    show("exp double lanes q deg 10", c, err, 53)
if "log_double_lanes" in which or "all" in which:
    # 2 atanh s = 2s + s R, R = z L(z), z = s^2, |s| <= 3 - 2 sqrt 2; error of s R relative to 2s.
    smax = 3 - 2*mp.sqrt(2)
    R = lambda z: 2*mp.atanh(mp.sqrt(z))/mp.sqrt(z) - 2
    c, _ = fit(lambda z: R(z)/z if z else mp.mpf(2)/3, mp.mpf(0), smax**2*1.001, 6, weight=lambda z: 1)
    err = max(abs(z*mp.polyval(c[::-1], z) - R(z)) / 2 for z in mp.linspace(smax**2/2000, smax**2, 2000))
    show("log double lanes L deg 6", c, err, 53)
if "tanh_double_lanes" in which or "all" in which:
    # tanh a = a + a^3 P(a^2), a in [0, ln3/2]; relative.
    am = mp.log(3)/2*1.001
    f = lambda z: (mp.tanh(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z)**3 if z != 0 else -mp.mpf(1)/3
    c, _ = fit(f, mp.mpf(0), am**2, 10, weight=lambda z: abs(mp.sqrt(z)**3/mp.tanh(mp.sqrt(z))) if z else mp.mpf(0))
    err = max(abs(a + a**3*mp.polyval(c[::-1], a*a) - mp.tanh(a)) / mp.tanh(a) for a in mp.linspace(am/2000, am, 2000))
    show("tanh double lanes P deg 10", c, err, 53)
if "normal_tail_double" in which or "all" in which:
    # The tail Q(a) = e^(-a^2/2) t P(t), t = 4/(4+a), in three pieces of a, each P(s) = b0 + s P1(s)
    # in s = t - c (t in [c/2, 2c]), b0 = P(c) in two doubles, P1 fitted relative to P.
    K = mp.mpf(4)
    R = lambda a: mp.erfc(a/mp.sqrt(2))/2 * mp.exp(a*a/2)
    g = lambda t: R(K*(1-t)/t)/t
    for (alo, ahi, cf, deg) in [(0.67, 3, 0.6, 12), (3, 10, 0.4, 13), (10, 38.5, 0.18, 13)]:
        tlo, thi = K/(K+mp.mpf(ahi)), K/(K+mp.mpf(alo))
        cc = mp.mpf(cf)
        b0 = g(cc)
        c, _ = fit(lambda s: (g(s+cc)-b0)/s if s else mp.diff(g, cc), (tlo-cc)*mp.mpf(1.001), (thi-cc)*mp.mpf(1.001),
                   deg, weight=lambda s: abs(s/g(s+cc)) if s else 0)
        h = mp.mpf(float(b0)); l = mp.mpf(float(b0 - h))
        err = max(abs(h + l + s*mp.polyval(c[::-1], s) - g(s+cc))/g(s+cc) for s in mp.linspace(tlo-cc, thi-cc, 1500))
        show(f"normal tail double, a in [{alo}, {ahi}], c = {float(cc).hex()}, b0 = {float(h).hex()} + {float(l).hex()}, "
             f"P1 deg {deg} (highest last)", c, err, 53)
if "normal_small_double" in which or "all" in which:
    # Phi(x) = 1/2 + x E(x^2), gelu'(x) = 1/2 + x S(x^2): E = c0 sum (-z/2)^k / (k! (2k+1)),
    # S = c0 sum (-z/2)^k (2k+2) / ((2k+1) k!); E1, S1 = (E - c0)/z, (S - 2 c0)/z, Taylor to z^11.
    c0 = 1/mp.sqrt(2*mp.pi)
    E = [c0*(mp.mpf(-1)/2)**k/(mp.factorial(k)*(2*k+1)) for k in range(1, 13)]
    S = [c0*(mp.mpf(-1)/2)**k*(2*k+2)/((2*k+1)*mp.factorial(k)) for k in range(1, 13)]
    print("# normal small double E1 (highest first):\n  " + ", ".join(float.hex(float(v)) for v in E[::-1]))
    print("# normal small double S1 (highest first):\n  " + ", ".join(float.hex(float(v)) for v in S[::-1]))
if "erf_small_double" in which or "all" in which:
    # erf(x) = x (c + z E1(z)), z = x^2 <= 1, c = 2/sqrt(pi) in two doubles; E1 fitted relative to erf(x)/x.
    c2 = 2/mp.sqrt(mp.pi)
    h = mp.mpf(float(c2)); l = mp.mpf(float(c2 - h))
    Ez = lambda z: mp.erf(mp.sqrt(z))/mp.sqrt(z) if z else c2
    c, _ = fit(lambda z: (Ez(z) - c2)/z if z else -c2/3, mp.mpf(0), mp.mpf(1.001), 11,
               weight=lambda z: abs(z/Ez(z)) if z else 0)
    err = max(abs(h + l + z*mp.polyval(c[::-1], z) - Ez(z))/Ez(z) for z in mp.linspace(mp.mpf(1)/4000, 1, 2000))
    show("erf small double E1 deg 11 (lowest first)", c, err, 53)
    print(f"  c = {float(h).hex()} + {float(l).hex()}")
if "tanhshrink_double_lanes" in which or "all" in which:
    # x - tanh x = x^3 S(x^2), |x| <= 1, S = 1/3 + z S1(z): 1/3 in two doubles, S1 fitted relative to S.
    S = lambda z: (mp.sqrt(z) - mp.tanh(mp.sqrt(z))) / z**mp.mpf(1.5)
    third = mp.mpf(1)/3
    c, _ = fit(lambda z: (S(z) - third)/z if z else mp.mpf(-2)/15, mp.mpf(0), mp.mpf(1.001), 15,
               weight=lambda z: abs(z/S(z)) if z else 0)
    h = mp.mpf(float(third)); l = mp.mpf(float(third - h))
    err = max(abs(h + l + z*mp.polyval(c[::-1], z) - S(z))/S(z) for z in mp.linspace(mp.mpf(1)/4000, 1, 2000))
    show("tanhshrink double lanes S1 deg 15", c, err, 53)
