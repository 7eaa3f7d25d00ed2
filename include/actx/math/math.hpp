// actx::math -- constexpr elementary functions, accurate to about half an ULP
// in double over their whole domain (see each header for the measured bound),
// with float overloads computed in double and rounded once.
#pragma once

#include "classify.hpp"
#include "erf.hpp"
#include "erfc.hpp"
#include "exp.hpp"
#include "expm1.hpp"
#include "gauss.hpp"
#include "gelu_tanh_gate.hpp"
#include "log.hpp"
#include "log1p.hpp"
#include "log1pexp.hpp"
#include "normcdf.hpp"
#include "normpdf.hpp"
#include "sigmoid.hpp"
#include "softsign.hpp"
#include "sqrt.hpp"
#include "tanh.hpp"
#include "tanhshrink.hpp"
