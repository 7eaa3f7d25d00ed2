// abs lives with sqrt (both are single exact instructions); this header lets
// it be included by its own name.
#pragma once

#include <actx/math/vector/sqrt.hpp>
