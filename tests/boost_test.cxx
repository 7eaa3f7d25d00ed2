// Boost.Test compiled from its headers, with its main: the test programs of a
// cross-compiled build link it in place of the host's library.
#include <boost/test/included/unit_test.hpp>
