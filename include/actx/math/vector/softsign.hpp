// softsign(x) = x / (1 + |x|) for packs (see <actx/math/softsign.hpp> for why
// it is a primitive).  Float packs: computed in double and rounded once
// (0.5 ULP); +-inf give +-1.  Double packs: two roundings, within 1 ULP.
// Cost: 1 abs, 1 add, 1 div (per double half for float packs), 1 blend.
#pragma once

#include <actx/math/vector/detail/gcc_warnings.hpp>
#include <actx/math/softsign.hpp>
#include <actx/math/vector/detail/kernels.hpp>

ACTX_VECTOR_CODE_BEGIN

namespace actx::vector {

template <class A>
inline pack<float, A> softsign(pack<float, A> x) {
    using namespace detail;
    return {in_double(x.v, [](dbatch<A> v) {
        dbatch<A> r = v / (dbatch<A>(1.0) + xsimd::abs(v));
        return xsimd::select(xsimd::isinf(v), xsimd::copysign(dbatch<A>(1.0), v), r);
    })};
}

template <class A>
inline pack<double, A> softsign(pack<double, A> x) {
    xsimd::batch<double, A> v = x.v;
    xsimd::batch<double, A> r = v / (xsimd::batch<double, A>(1.0) + xsimd::abs(v));
    return {xsimd::select(xsimd::isinf(v), xsimd::copysign(xsimd::batch<double, A>(1.0), v), r)};
}

}  // namespace actx::vector

ACTX_VECTOR_CODE_END
