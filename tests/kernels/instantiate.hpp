// The definitions of compiled<K, T>'s and compiled_reference<K, T>'s passes,
// and ACTX_TEST_INSTANTIATE(Class, Kind, T): their explicit instantiation for
// every entry of catalogue::unary, in the translation units of tests/kernels/
// (compiled.hpp).
#pragma once

#include "compiled.hpp"

namespace actx_test {

template <class K, class T>
void compiled<K, T>::forward(actx::execution const& how, std::span<T const> x, std::span<T> y) {
    K().with(how).forward(x, y);
}

template <class K, class T>
void compiled<K, T>::backward(actx::execution const& how, std::span<T const> x, std::span<T const> dy,
                              std::span<T> dx) {
    K().with(how).backward(x, dy, dx);
}

template <class K, class T>
void compiled<K, T>::forward_backward(actx::execution const& how, std::span<T const> x, std::span<T const> dy,
                                      std::span<T> y, std::span<T> dx) {
    K().with(how).forward_backward(x, dy, y, dx);
}

template <class K, class T>
void compiled_reference<K, T>::forward(actx::execution const& how, std::span<T const> x, std::span<T> y) {
    K().with(how).forward(x, y);
}

template <class K, class T>
void compiled_reference<K, T>::backward(actx::execution const& how, std::span<T const> x, std::span<T const> dy,
                                        std::span<T> dx) {
    K().with(how).backward(x, dy, dx);
}

// Explicit instantiations name their types in the source: one line for each
// entry, by position.  A new activation in the catalogue adds a line here.
static_assert(catalogued::count == 20,
              "tests/kernels/instantiate.hpp: catalogue::unary changed size: list each of its entries in "
              "ACTX_TEST_INSTANTIATE");

}  // namespace actx_test

#define ACTX_TEST_INSTANTIATE(Class, Kind, T)                                          \
    template struct actx_test::Class<actx_test::catalogued::Kind<0>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<1>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<2>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<3>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<4>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<5>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<6>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<7>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<8>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<9>, T>;  \
    template struct actx_test::Class<actx_test::catalogued::Kind<10>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<11>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<12>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<13>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<14>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<15>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<16>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<17>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<18>, T>; \
    template struct actx_test::Class<actx_test::catalogued::Kind<19>, T>;
