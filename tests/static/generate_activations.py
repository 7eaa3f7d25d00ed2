# Writes activations.cpp: expected values of every activation and its derivative,
# from closed forms evaluated with the C library through CPython, independent of actx.
# Run: python3 tests/static/generate_activations.py
import math
S2=math.sqrt(2.0)
def sig(x): return 1/(1+math.exp(-x)) if x>=0 else math.exp(x)/(1+math.exp(x))
def sp(x): return max(x,0)+math.log1p(math.exp(-abs(x)))
lam=1.0507009873554804934193349852946; al=1.6732632423543772848170429916717
Phi=lambda x: 0.5*math.erfc(-x/S2); phi=lambda x: math.exp(-x*x/2)/math.sqrt(2*math.pi)
k=math.sqrt(2/math.pi)
def gt(x): u=k*(x+0.044715*x**3); return 0.5*x*(1+math.tanh(u))
def gtd(x):
    u=k*(x+0.044715*x**3); t=math.tanh(u); return 0.5*(1+t)+0.5*x*(1-t*t)*k*(1+3*0.044715*x*x)
F={
 'relu':(lambda x:max(x,0.0), lambda x:1.0 if x>0 else 0.0),
 'relu6':(lambda x:min(max(x,0.0),6.0), lambda x:1.0 if 0<x<6 else 0.0),
 'hardtanh':(lambda x:min(max(x,-1.0),1.0), lambda x:1.0 if -1<x<1 else 0.0),
 'leaky_relu':(lambda x:x if x>0 else 0.01*x, lambda x:1.0 if x>0 else 0.01),
 'elu':(lambda x:x if x>0 else math.expm1(x), lambda x:1.0 if x>0 else math.exp(x)),
 'selu':(lambda x:lam*x if x>0 else lam*al*math.expm1(x), lambda x:lam if x>0 else lam*al*math.exp(x)),
 'celu':(lambda x:x if x>0 else math.expm1(x), lambda x:1.0 if x>0 else math.exp(x)),
 'gelu':(lambda x:x*Phi(x), lambda x:Phi(x)+x*phi(x)),
 'gelu_tanh':(gt,gtd),
 'silu':(lambda x:x*sig(x), lambda x:sig(x)*(1+x*(1-sig(x)))),
 'mish':(lambda x:x*math.tanh(sp(x)), lambda x:math.tanh(sp(x))+x*(1-math.tanh(sp(x))**2)*sig(x)),
 'sigmoid':(sig, lambda x:sig(x)*sig(-x)),
 'tanh':(math.tanh, lambda x:1/math.cosh(x)**2),
 'softplus':(lambda x:x if x>20 else math.log1p(math.exp(x)), lambda x:1.0 if x>20 else sig(x)),
 'softsign':(lambda x:x/(1+abs(x)), lambda x:1/(1+abs(x))**2),
 'hardsigmoid':(lambda x:0.0 if x<=-3 else 1.0 if x>=3 else x/6+0.5, lambda x:1/6 if -3<x<3 else 0.0),
 'hardswish':(lambda x:0.0 if x<=-3 else x if x>=3 else x*(x+3)/6, lambda x:0.0 if x<=-3 else 1.0 if x>=3 else x/3+0.5),
 'logsigmoid':(lambda x:-sp(-x), lambda x:sig(-x)),
 'tanhshrink':(lambda x:x-math.tanh(x), lambda x:math.tanh(x)**2),
}
pts=[-4.5,-1.25,-0.3,0.7,2.5]
kinks={'relu':[0.0],'relu6':[0.0,6.0],'hardtanh':[-1.0,1.0],'leaky_relu':[0.0],'elu':[0.0],'selu':[0.0],'celu':[0.0],
       'hardsigmoid':[-3.0,3.0],'hardswish':[-3.0,3.0],'softplus':[20.0, 25.0]}
out=[]
out.append('''// Every activation's value and compiler-derived derivative, checked by the
// compiler: compiling this file runs it.  Expected values are the closed
// forms evaluated independently of actx (CPython's math module over the C
// library, 17 significant digits; written by tests/static/generate_activations.py), and
// at kinks the PyTorch convention written out by hand.
#include <actx/actx.hpp>

namespace {
using namespace actx;
constexpr auto x = var<0>;

// |a - b| <= 4e-15 max(1, |b|): a few ULP, independent of the formula used.
constexpr bool close(double a, double b) { return near(a, b, 4e-15); }
''')
for name,(f,df) in F.items():
    out.append(f'// {name}')
    for p in pts+kinks.get(name,[]):
        out.append(f'static_assert(close({name}(x)({p!r}), {f(p)!r}));')
        out.append(f'static_assert(close(d({name}(x), x)({p!r}), {df(p)!r}));')
    out.append('')
# prelu with param, gated pairs
out.append('// prelu: the slope is a parameter; its gradient is x where x <= 0')
for p in pts+[0.0]:
    v = p if p>0 else 0.25*p
    out.append(f'static_assert(close(evaluate(prelu(x, param<0>), inputs({p!r}), params(0.25)), {v!r}));')
    out.append(f'static_assert(close(evaluate(d(prelu(x, param<0>), x), inputs({p!r}), params(0.25)), {1.0 if p>0 else 0.25!r}));')
    out.append(f'static_assert(close(evaluate(d(prelu(x, param<0>), param<0>), inputs({p!r}), params(0.25)), {0.0 if p>0 else p!r}));')
out.append('')
out.append('// gated pairs: swiglu(a, b) = silu(a) b, geglu(a, b) = gelu(a) b')
for a,b in [(-1.25,2.0),(0.7,-3.0),(2.5,0.5)]:
    for name,g in (('swiglu','silu'),('geglu','gelu')):
        f,df=F[g]
        out.append(f'static_assert(close({name}(var<0>, var<1>)({a!r}, {b!r}), {f(a)*b!r}));')
        out.append(f'static_assert(close(d({name}(var<0>, var<1>), var<0>)({a!r}, {b!r}), {df(a)*b!r}));')
        out.append(f'static_assert(close(d({name}(var<0>, var<1>), var<1>)({a!r}, {b!r}), {f(a)!r}));')
out.append('')
out.append('// second derivatives through the same machinery: silu\'\' = s(1-s)(2 + x(1-2s))')
for p in [-2.0,0.5,3.0]:
    s=sig(p); out.append(f'static_assert(near(d(d(silu(x), x), x)({p!r}), {s*(1-s)*(2+p*(1-2*s))!r}, 1e-14));')
out.append('}  // namespace')
open(__import__('os').path.join(__import__('os').path.dirname(__file__), 'activations.cpp'), 'w').write('\n'.join(out)+'\n')
