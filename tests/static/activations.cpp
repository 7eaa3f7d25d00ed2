// Every activation's value and compiler-derived derivative, checked by the
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

// relu
static_assert(close(relu(x)(-4.5), 0.0));
static_assert(close(d(relu(x), x)(-4.5), 0.0));
static_assert(close(relu(x)(-1.25), 0.0));
static_assert(close(d(relu(x), x)(-1.25), 0.0));
static_assert(close(relu(x)(-0.3), 0.0));
static_assert(close(d(relu(x), x)(-0.3), 0.0));
static_assert(close(relu(x)(0.7), 0.7));
static_assert(close(d(relu(x), x)(0.7), 1.0));
static_assert(close(relu(x)(2.5), 2.5));
static_assert(close(d(relu(x), x)(2.5), 1.0));
static_assert(close(relu(x)(0.0), 0.0));
static_assert(close(d(relu(x), x)(0.0), 0.0));

// relu6
static_assert(close(relu6(x)(-4.5), 0.0));
static_assert(close(d(relu6(x), x)(-4.5), 0.0));
static_assert(close(relu6(x)(-1.25), 0.0));
static_assert(close(d(relu6(x), x)(-1.25), 0.0));
static_assert(close(relu6(x)(-0.3), 0.0));
static_assert(close(d(relu6(x), x)(-0.3), 0.0));
static_assert(close(relu6(x)(0.7), 0.7));
static_assert(close(d(relu6(x), x)(0.7), 1.0));
static_assert(close(relu6(x)(2.5), 2.5));
static_assert(close(d(relu6(x), x)(2.5), 1.0));
static_assert(close(relu6(x)(0.0), 0.0));
static_assert(close(d(relu6(x), x)(0.0), 0.0));
static_assert(close(relu6(x)(6.0), 6.0));
static_assert(close(d(relu6(x), x)(6.0), 0.0));

// hardtanh
static_assert(close(hardtanh(x)(-4.5), -1.0));
static_assert(close(d(hardtanh(x), x)(-4.5), 0.0));
static_assert(close(hardtanh(x)(-1.25), -1.0));
static_assert(close(d(hardtanh(x), x)(-1.25), 0.0));
static_assert(close(hardtanh(x)(-0.3), -0.3));
static_assert(close(d(hardtanh(x), x)(-0.3), 1.0));
static_assert(close(hardtanh(x)(0.7), 0.7));
static_assert(close(d(hardtanh(x), x)(0.7), 1.0));
static_assert(close(hardtanh(x)(2.5), 1.0));
static_assert(close(d(hardtanh(x), x)(2.5), 0.0));
static_assert(close(hardtanh(x)(-1.0), -1.0));
static_assert(close(d(hardtanh(x), x)(-1.0), 0.0));
static_assert(close(hardtanh(x)(1.0), 1.0));
static_assert(close(d(hardtanh(x), x)(1.0), 0.0));

// leaky_relu
static_assert(close(leaky_relu(x)(-4.5), -0.045));
static_assert(close(d(leaky_relu(x), x)(-4.5), 0.01));
static_assert(close(leaky_relu(x)(-1.25), -0.0125));
static_assert(close(d(leaky_relu(x), x)(-1.25), 0.01));
static_assert(close(leaky_relu(x)(-0.3), -0.003));
static_assert(close(d(leaky_relu(x), x)(-0.3), 0.01));
static_assert(close(leaky_relu(x)(0.7), 0.7));
static_assert(close(d(leaky_relu(x), x)(0.7), 1.0));
static_assert(close(leaky_relu(x)(2.5), 2.5));
static_assert(close(d(leaky_relu(x), x)(2.5), 1.0));
static_assert(close(leaky_relu(x)(0.0), 0.0));
static_assert(close(d(leaky_relu(x), x)(0.0), 0.01));

// elu
static_assert(close(elu(x)(-4.5), -0.9888910034617577));
static_assert(close(d(elu(x), x)(-4.5), 0.011108996538242306));
static_assert(close(elu(x)(-1.25), -0.7134952031398099));
static_assert(close(d(elu(x), x)(-1.25), 0.2865047968601901));
static_assert(close(elu(x)(-0.3), -0.2591817793182821));
static_assert(close(d(elu(x), x)(-0.3), 0.7408182206817179));
static_assert(close(elu(x)(0.7), 0.7));
static_assert(close(d(elu(x), x)(0.7), 1.0));
static_assert(close(elu(x)(2.5), 2.5));
static_assert(close(d(elu(x), x)(2.5), 1.0));
static_assert(close(elu(x)(0.0), 0.0));
static_assert(close(d(elu(x), x)(0.0), 1.0));

// selu
static_assert(close(selu(x)(-4.5), -1.7385686213560172));
static_assert(close(d(selu(x), x)(-4.5), 0.019530719491359587));
static_assert(close(selu(x)(-1.25), -1.2543954463378648));
static_assert(close(d(selu(x), x)(-1.25), 0.5037038945095117));
static_assert(close(selu(x)(-0.3), -0.45566731537912203));
static_assert(close(d(selu(x), x)(-0.3), 1.3024320254682547));
static_assert(close(selu(x)(0.7), 0.7354906911488363));
static_assert(close(d(selu(x), x)(0.7), 1.0507009873554805));
static_assert(close(selu(x)(2.5), 2.626752468388701));
static_assert(close(d(selu(x), x)(2.5), 1.0507009873554805));
static_assert(close(selu(x)(0.0), 0.0));
static_assert(close(d(selu(x), x)(0.0), 1.7580993408473766));

// celu
static_assert(close(celu(x)(-4.5), -0.9888910034617577));
static_assert(close(d(celu(x), x)(-4.5), 0.011108996538242306));
static_assert(close(celu(x)(-1.25), -0.7134952031398099));
static_assert(close(d(celu(x), x)(-1.25), 0.2865047968601901));
static_assert(close(celu(x)(-0.3), -0.2591817793182821));
static_assert(close(d(celu(x), x)(-0.3), 0.7408182206817179));
static_assert(close(celu(x)(0.7), 0.7));
static_assert(close(d(celu(x), x)(0.7), 1.0));
static_assert(close(celu(x)(2.5), 2.5));
static_assert(close(d(celu(x), x)(2.5), 1.0));
static_assert(close(celu(x)(0.0), 0.0));
static_assert(close(d(celu(x), x)(0.0), 1.0));

// gelu
static_assert(close(gelu(x)(-4.5), -1.5289529061285276e-05));
static_assert(close(d(gelu(x), x)(-4.5), -6.852916185634459e-05));
static_assert(close(gelu(x)(-1.25), -0.1320622170835691));
static_assert(close(d(gelu(x), x)(-1.25), -0.12266158306942211));
static_assert(close(gelu(x)(-0.3), -0.1146265733433142));
static_assert(close(d(gelu(x), x)(-0.3), 0.26767223317289013));
static_assert(close(gelu(x)(0.7), 0.5306254434438489));
static_assert(close(d(gelu(x), x)(0.7), 0.9766141011336599));
static_assert(close(gelu(x)(2.5), 2.4844758366855597));
static_assert(close(d(gelu(x), x)(2.5), 1.037611085908145));

// gelu_tanh
static_assert(close(gelu_tanh(x)(-4.5), -5.136737411925996e-06));
static_assert(close(d(gelu_tanh(x), x)(-4.5), -2.932227044263837e-05));
static_assert(close(gelu_tanh(x)(-1.25), -0.13228579703028542));
static_assert(close(d(gelu_tanh(x), x)(-1.25), -0.12249263224964868));
static_assert(close(gelu_tanh(x)(-0.3), -0.11462907645724074));
static_assert(close(d(gelu_tanh(x), x)(-0.3), 0.26770454836119817));
static_assert(close(gelu_tanh(x)(0.7), 0.5305701347051167));
static_assert(close(d(gelu_tanh(x), x)(0.7), 0.976357218656104));
static_assert(close(gelu_tanh(x)(2.5), 2.484915733910001));
static_assert(close(d(gelu_tanh(x), x)(2.5), 1.037951576212666));

// silu
static_assert(close(silu(x)(-4.5), -0.049441241837669306));
static_assert(close(d(silu(x), x)(-4.5), -0.03791109111942037));
static_assert(close(silu(x)(-1.25), -0.27837517353163604));
static_assert(close(d(silu(x), x)(-1.25), 0.006319155084687563));
static_assert(close(silu(x)(-0.3), -0.1276672449565023));
static_assert(close(d(silu(x), x)(-0.3), 0.3522199896811173));
static_assert(close(silu(x)(0.7), 0.46773144051771626));
static_assert(close(d(silu(x), x)(0.7), 0.8233867834733425));
static_assert(close(silu(x)(2.5), 2.3103545499468914));
static_assert(close(d(silu(x), x)(2.5), 1.0994011113415267));

// mish
static_assert(close(mish(x)(-4.5), -0.049712829307341215));
static_assert(close(d(mish(x), x)(-4.5), -0.038387912491628096));
static_assert(close(mish(x)(-1.25), -0.30841396114152775));
static_assert(close(d(mish(x), x)(-1.25), -0.014697562473019482));
static_assert(close(mish(x)(-0.3), -0.15113317713833455));
static_assert(close(d(mish(x), x)(-0.3), 0.40851087693570215));
static_assert(close(mish(x)(0.7), 0.5611483776438518));
static_assert(close(d(mish(x), x)(0.7), 0.9687948682001859));
static_assert(close(mish(x)(2.5), 2.471392304557881));
static_assert(close(d(mish(x), x)(2.5), 1.041129530131353));

// sigmoid
static_assert(close(sigmoid(x)(-4.5), 0.01098694263059318));
static_assert(close(d(sigmoid(x), x)(-4.5), 0.010866229722225234));
static_assert(close(sigmoid(x)(-1.25), 0.22270013882530884));
static_assert(close(d(sigmoid(x), x)(-1.25), 0.17310478699249698));
static_assert(close(sigmoid(x)(-0.3), 0.425557483188341));
static_assert(close(d(sigmoid(x), x)(-0.3), 0.2444583116907459));
static_assert(close(sigmoid(x)(0.7), 0.6681877721681662));
static_assert(close(d(sigmoid(x), x)(0.7), 0.2217128732931091));
static_assert(close(sigmoid(x)(2.5), 0.9241418199787566));
static_assert(close(d(sigmoid(x), x)(2.5), 0.07010371654510818));

// tanh
static_assert(close(tanh(x)(-4.5), -0.9997532108480275));
static_assert(close(d(tanh(x), x)(-4.5), 0.0004935173990593957));
static_assert(close(tanh(x)(-1.25), -0.8482836399575129));
static_assert(close(d(tanh(x), x)(-1.25), 0.2804148661804326));
static_assert(close(tanh(x)(-0.3), -0.2913126124515909));
static_assert(close(d(tanh(x), x)(-0.3), 0.9151369618266293));
static_assert(close(tanh(x)(0.7), 0.6043677771171636));
static_assert(close(d(tanh(x), x)(0.7), 0.6347395899824586));
static_assert(close(tanh(x)(2.5), 0.9866142981514303));
static_assert(close(d(tanh(x), x)(2.5), 0.026592226683160622));

// softplus
static_assert(close(softplus(x)(-4.5), 0.011047744848593817));
static_assert(close(d(softplus(x), x)(-4.5), 0.01098694263059318));
static_assert(close(softplus(x)(-1.25), 0.2519290813453729));
static_assert(close(d(softplus(x), x)(-1.25), 0.22270013882530884));
static_assert(close(softplus(x)(-0.3), 0.5543552444685271));
static_assert(close(d(softplus(x), x)(-0.3), 0.425557483188341));
static_assert(close(softplus(x)(0.7), 1.103186048885458));
static_assert(close(d(softplus(x), x)(0.7), 0.6681877721681662));
static_assert(close(softplus(x)(2.5), 2.5788897342925496));
static_assert(close(d(softplus(x), x)(2.5), 0.9241418199787566));
static_assert(close(softplus(x)(20.0), 20.000000002061153));
static_assert(close(d(softplus(x), x)(20.0), 0.9999999979388463));
static_assert(close(softplus(x)(25.0), 25.0));
static_assert(close(d(softplus(x), x)(25.0), 1.0));

// softsign
static_assert(close(softsign(x)(-4.5), -0.8181818181818182));
static_assert(close(d(softsign(x), x)(-4.5), 0.03305785123966942));
static_assert(close(softsign(x)(-1.25), -0.5555555555555556));
static_assert(close(d(softsign(x), x)(-1.25), 0.19753086419753085));
static_assert(close(softsign(x)(-0.3), -0.23076923076923075));
static_assert(close(d(softsign(x), x)(-0.3), 0.5917159763313609));
static_assert(close(softsign(x)(0.7), 0.4117647058823529));
static_assert(close(d(softsign(x), x)(0.7), 0.34602076124567477));
static_assert(close(softsign(x)(2.5), 0.7142857142857143));
static_assert(close(d(softsign(x), x)(2.5), 0.08163265306122448));

// hardsigmoid
static_assert(close(hardsigmoid(x)(-4.5), 0.0));
static_assert(close(d(hardsigmoid(x), x)(-4.5), 0.0));
static_assert(close(hardsigmoid(x)(-1.25), 0.29166666666666663));
static_assert(close(d(hardsigmoid(x), x)(-1.25), 0.16666666666666666));
static_assert(close(hardsigmoid(x)(-0.3), 0.45));
static_assert(close(d(hardsigmoid(x), x)(-0.3), 0.16666666666666666));
static_assert(close(hardsigmoid(x)(0.7), 0.6166666666666667));
static_assert(close(d(hardsigmoid(x), x)(0.7), 0.16666666666666666));
static_assert(close(hardsigmoid(x)(2.5), 0.9166666666666667));
static_assert(close(d(hardsigmoid(x), x)(2.5), 0.16666666666666666));
static_assert(close(hardsigmoid(x)(-3.0), 0.0));
static_assert(close(d(hardsigmoid(x), x)(-3.0), 0.0));
static_assert(close(hardsigmoid(x)(3.0), 1.0));
static_assert(close(d(hardsigmoid(x), x)(3.0), 0.0));

// hardswish
static_assert(close(hardswish(x)(-4.5), 0.0));
static_assert(close(d(hardswish(x), x)(-4.5), 0.0));
static_assert(close(hardswish(x)(-1.25), -0.3645833333333333));
static_assert(close(d(hardswish(x), x)(-1.25), 0.08333333333333331));
static_assert(close(hardswish(x)(-0.3), -0.135));
static_assert(close(d(hardswish(x), x)(-0.3), 0.4));
static_assert(close(hardswish(x)(0.7), 0.43166666666666664));
static_assert(close(d(hardswish(x), x)(0.7), 0.7333333333333333));
static_assert(close(hardswish(x)(2.5), 2.2916666666666665));
static_assert(close(d(hardswish(x), x)(2.5), 1.3333333333333335));
static_assert(close(hardswish(x)(-3.0), 0.0));
static_assert(close(d(hardswish(x), x)(-3.0), 0.0));
static_assert(close(hardswish(x)(3.0), 3.0));
static_assert(close(d(hardswish(x), x)(3.0), 1.0));

// logsigmoid
static_assert(close(logsigmoid(x)(-4.5), -4.511047744848594));
static_assert(close(d(logsigmoid(x), x)(-4.5), 0.9890130573694068));
static_assert(close(logsigmoid(x)(-1.25), -1.501929081345373));
static_assert(close(d(logsigmoid(x), x)(-1.25), 0.7772998611746911));
static_assert(close(logsigmoid(x)(-0.3), -0.8543552444685272));
static_assert(close(d(logsigmoid(x), x)(-0.3), 0.574442516811659));
static_assert(close(logsigmoid(x)(0.7), -0.4031860488854579));
static_assert(close(d(logsigmoid(x), x)(0.7), 0.33181222783183395));
static_assert(close(logsigmoid(x)(2.5), -0.07888973429254963));
static_assert(close(d(logsigmoid(x), x)(2.5), 0.07585818002124356));

// tanhshrink
static_assert(close(tanhshrink(x)(-4.5), -3.5002467891519724));
static_assert(close(d(tanhshrink(x), x)(-4.5), 0.9995064826009405));
static_assert(close(tanhshrink(x)(-1.25), -0.4017163600424871));
static_assert(close(d(tanhshrink(x), x)(-1.25), 0.7195851338195673));
static_assert(close(tanhshrink(x)(-0.3), -0.008687387548409087));
static_assert(close(d(tanhshrink(x), x)(-0.3), 0.08486303817337079));
static_assert(close(tanhshrink(x)(0.7), 0.09563222288283635));
static_assert(close(d(tanhshrink(x), x)(0.7), 0.36526041001754156));
static_assert(close(tanhshrink(x)(2.5), 1.5133857018485697));
static_assert(close(d(tanhshrink(x), x)(2.5), 0.9734077733168395));

// prelu: the slope is a parameter; its gradient is x where x <= 0
static_assert(close(evaluate(prelu(x, param<0>), inputs(-4.5), params(0.25)), -1.125));
static_assert(close(evaluate(d(prelu(x, param<0>), x), inputs(-4.5), params(0.25)), 0.25));
static_assert(close(evaluate(d(prelu(x, param<0>), param<0>), inputs(-4.5), params(0.25)), -4.5));
static_assert(close(evaluate(prelu(x, param<0>), inputs(-1.25), params(0.25)), -0.3125));
static_assert(close(evaluate(d(prelu(x, param<0>), x), inputs(-1.25), params(0.25)), 0.25));
static_assert(close(evaluate(d(prelu(x, param<0>), param<0>), inputs(-1.25), params(0.25)), -1.25));
static_assert(close(evaluate(prelu(x, param<0>), inputs(-0.3), params(0.25)), -0.075));
static_assert(close(evaluate(d(prelu(x, param<0>), x), inputs(-0.3), params(0.25)), 0.25));
static_assert(close(evaluate(d(prelu(x, param<0>), param<0>), inputs(-0.3), params(0.25)), -0.3));
static_assert(close(evaluate(prelu(x, param<0>), inputs(0.7), params(0.25)), 0.7));
static_assert(close(evaluate(d(prelu(x, param<0>), x), inputs(0.7), params(0.25)), 1.0));
static_assert(close(evaluate(d(prelu(x, param<0>), param<0>), inputs(0.7), params(0.25)), 0.0));
static_assert(close(evaluate(prelu(x, param<0>), inputs(2.5), params(0.25)), 2.5));
static_assert(close(evaluate(d(prelu(x, param<0>), x), inputs(2.5), params(0.25)), 1.0));
static_assert(close(evaluate(d(prelu(x, param<0>), param<0>), inputs(2.5), params(0.25)), 0.0));
static_assert(close(evaluate(prelu(x, param<0>), inputs(0.0), params(0.25)), 0.0));
static_assert(close(evaluate(d(prelu(x, param<0>), x), inputs(0.0), params(0.25)), 0.25));
static_assert(close(evaluate(d(prelu(x, param<0>), param<0>), inputs(0.0), params(0.25)), 0.0));

// gated pairs: swiglu(a, b) = silu(a) b, geglu(a, b) = gelu(a) b
static_assert(close(swiglu(var<0>, var<1>)(-1.25, 2.0), -0.5567503470632721));
static_assert(close(d(swiglu(var<0>, var<1>), var<0>)(-1.25, 2.0), 0.012638310169375127));
static_assert(close(d(swiglu(var<0>, var<1>), var<1>)(-1.25, 2.0), -0.27837517353163604));
static_assert(close(geglu(var<0>, var<1>)(-1.25, 2.0), -0.2641244341671382));
static_assert(close(d(geglu(var<0>, var<1>), var<0>)(-1.25, 2.0), -0.24532316613884422));
static_assert(close(d(geglu(var<0>, var<1>), var<1>)(-1.25, 2.0), -0.1320622170835691));
static_assert(close(swiglu(var<0>, var<1>)(0.7, -3.0), -1.4031943215531488));
static_assert(close(d(swiglu(var<0>, var<1>), var<0>)(0.7, -3.0), -2.4701603504200276));
static_assert(close(d(swiglu(var<0>, var<1>), var<1>)(0.7, -3.0), 0.46773144051771626));
static_assert(close(geglu(var<0>, var<1>)(0.7, -3.0), -1.5918763303315466));
static_assert(close(d(geglu(var<0>, var<1>), var<0>)(0.7, -3.0), -2.9298423034009797));
static_assert(close(d(geglu(var<0>, var<1>), var<1>)(0.7, -3.0), 0.5306254434438489));
static_assert(close(swiglu(var<0>, var<1>)(2.5, 0.5), 1.1551772749734457));
static_assert(close(d(swiglu(var<0>, var<1>), var<0>)(2.5, 0.5), 0.5497005556707634));
static_assert(close(d(swiglu(var<0>, var<1>), var<1>)(2.5, 0.5), 2.3103545499468914));
static_assert(close(geglu(var<0>, var<1>)(2.5, 0.5), 1.2422379183427799));
static_assert(close(d(geglu(var<0>, var<1>), var<0>)(2.5, 0.5), 0.5188055429540726));
static_assert(close(d(geglu(var<0>, var<1>), var<1>)(2.5, 0.5), 2.4844758366855597));

// second derivatives through the same machinery: silu'' = s(1-s)(2 + x(1-2s))
static_assert(near(d(d(silu(x), x), x)(-2.0), 0.050062168694706914, 1e-14));
static_assert(near(d(d(silu(x), x), x)(0.5), 0.44122902697702865, 1e-14));
static_assert(near(d(d(silu(x), x), x)(3.0), -0.032321404521006125, 1e-14));
}  // namespace
