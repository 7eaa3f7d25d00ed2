// All vectorised primitives for actx::vector::pack, found by argument-
// dependent lookup from the expression evaluator.  Accuracy and cost of each
// are stated at the top of its header; the common design (float evaluated in
// double, rounded once) is explained in detail/kernels.hpp.
#pragma once

#include <actx/math/vector/pack.hpp>
#include <actx/math/vector/abs.hpp>
#include <actx/math/vector/sqrt.hpp>
#include <actx/math/vector/exp.hpp>
#include <actx/math/vector/expm1.hpp>
#include <actx/math/vector/log.hpp>
#include <actx/math/vector/log1p.hpp>
#include <actx/math/vector/tanh.hpp>
#include <actx/math/vector/tanhshrink.hpp>
#include <actx/math/vector/erf.hpp>
#include <actx/math/vector/erfc.hpp>
#include <actx/math/vector/sigmoid.hpp>
#include <actx/math/vector/log1pexp.hpp>
#include <actx/math/vector/gauss.hpp>
#include <actx/math/vector/normpdf.hpp>
#include <actx/math/vector/normcdf.hpp>
#include <actx/math/vector/gelu_tanh_gate.hpp>
#include <actx/math/vector/softplus_tanh.hpp>
#include <actx/math/vector/softsign.hpp>
#include <actx/math/vector/fast.hpp>
