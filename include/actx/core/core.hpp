// The expression language: types, operators, derivative, evaluation, printing.
#pragma once

#include <actx/core/build.hpp>
#include <actx/core/derivative.hpp>
#include <actx/core/evaluate.hpp>
#include <actx/core/expression.hpp>
#include <actx/core/gradient_check.hpp>
#include <actx/core/literals.hpp>
#include <actx/core/operations.hpp>
#include <actx/core/operators.hpp>
#include <actx/core/print.hpp>
