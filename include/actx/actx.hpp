// actx: neural-network activations as compile-time expressions.
#pragma once

#include <actx/activations.hpp>
#include <actx/core/core.hpp>
#include <actx/kernel/kernel.hpp>
#include <actx/math/math.hpp>
