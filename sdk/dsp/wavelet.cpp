#include "dsp/no_fp_contract.h"  // first: it must precede every function

#include "dsp/wavelet.h"

#include <string.h>

namespace kiln {
namespace dsp {
namespace {

// Scaling filters h (pywt's rec_lo) of the orthogonal wavelets. These are published constants: Daubechies,
// "Ten Lectures on Wavelets" (SIAM, 1992), table 6.1 (extremal phase dbN), table 6.3 (least asymmetric,
// Symlets symN) and section 8.2 (Coiflets), here with the full double precision and the sign and ordering
// conventions of PyWavelets 1.1.1 (pywt.Wavelet(name).rec_lo, which the reference uses), printed with
// Python's repr so each value is the exact double. haar is db1. Each h sums to sqrt(2) and has unit energy
// (tests/unit/dsp/test_wavelet.cpp checks that and perfect reconstruction).
const double kDb1[2] = {0.7071067811865476, 0.7071067811865476};
const double kDb2[4] = {0.48296291314453416, 0.8365163037378079, 0.2241438680420134, -0.12940952255126037};
const double kDb3[6] = {0.33267055295008263,  0.8068915093110925,   0.45987750211849154,
                        -0.13501102001025458, -0.08544127388202666, 0.03522629188570953};
const double kDb4[8] = {0.2303778133088965,    0.7148465705529157,   0.6308807679298589,
                        -0.027983769416859854, -0.18703481171909309, 0.030841381835560764,
                        0.0328830116668852,    -0.010597401785069032};
const double kDb5[10] = {0.16010239797419293,  0.6038292697971896,    0.7243085284377729,
                         0.13842814590132074,  -0.24229488706638203,  -0.032244869584638375,
                         0.07757149384004572,  -0.006241490212798274, -0.012580751999081999,
                         0.0033357252854737712};
const double kDb6[12] = {0.11154074335010947,   0.49462389039845306,  0.7511339080210954,
                         0.31525035170919763,   -0.22626469396543983, -0.12976686756726194,
                         0.09750160558732304,   0.027522865530305727, -0.03158203931748603,
                         0.0005538422011614961, 0.004777257510945511, -0.0010773010853084796};
const double kDb7[14] = {0.07785205408500918,    0.3965393194819173,    0.7291320908462351,
                         0.4697822874051931,     -0.14390600392856498,  -0.22403618499387498,
                         0.07130921926683026,    0.08061260915108308,   -0.03802993693501441,
                         -0.01657454163066688,   0.01255099855609984,   0.0004295779729213665,
                         -0.0018016407040474908, 0.00035371379997452024};
const double kDb8[16] = {
    0.05441584224310401,   0.31287159091429995,     0.6756307362972898,    0.5853546836542067,
    -0.015829105256349306, -0.2840155429615469,     0.0004724845739132828, 0.12874742662047847,
    -0.017369301001807547, -0.044088253930794755,   0.013981027917398282,  0.008746094047405777,
    -0.004870352993451574, -0.00039174037337694705, 0.0006754494064505693, -0.00011747678412476953};
const double kDb9[18] = {0.038077947363878345,   0.24383467461259034,    0.6048231236901112,
                         0.6572880780513005,     0.13319738582500756,    -0.2932737832791749,
                         -0.09684078322297646,   0.14854074933810638,    0.03072568147933338,
                         -0.06763282906132997,   0.00025094711483145197, 0.022361662123679096,
                         -0.004723204757751397,  -0.00428150368246343,   0.0018476468830562265,
                         0.00023038576352319597, -0.0002519631889427101, 3.93473203162716e-05};
const double kDb10[20] = {
    0.026670057900555554,   0.1881768000776915,      0.5272011889317256,    0.6884590394536035,
    0.2811723436605775,     -0.24984642432731538,    -0.19594627437737705,  0.12736934033579325,
    0.09305736460357235,    -0.07139414716639708,    -0.029457536821875813, 0.033212674059341,
    0.0036065535669561697,  -0.010733175483330575,   0.001395351747052901,  0.001992405295185056,
    -0.0006858566949597116, -0.00011646685512928545, 9.358867032006959e-05, -1.3264202894521244e-05};
const double kSym2[4] = {0.48296291314469025, 0.836516303737469, 0.22414386804185735, -0.12940952255092145};
const double kSym3[6] = {0.3326705529509569,   0.8068915093133388,   0.4598775021193313,
                         -0.13501102001039084, -0.08544127388224149, 0.035226291882100656};
const double kSym4[8] = {0.0322231006040427,   -0.012603967262037833, -0.09921954357684722,
                         0.29785779560527736,  0.8037387518059161,    0.49761866763201545,
                         -0.02963552764599851, -0.07576571478927333};
const double kSym5[10] = {0.019538882735286728, -0.021101834024758855, -0.17532808990845047,
                          0.01660210576452232,  0.6339789634582119,    0.7234076904024206,
                          0.1993975339773936,   -0.039134249302383094, 0.029519490925774643,
                          0.027333068345077982};
const double kSym6[12] = {-0.007800708325034148, 0.0017677118642428036, 0.04472490177066578,
                          -0.021060292512300564, -0.07263752278646252,  0.3379294217276218,
                          0.787641141030194,     0.4910559419267466,    -0.048311742585633,
                          -0.11799011114819057,  0.0034907120842174702, 0.015404109327027373};
const double kSym7[14] = {0.010268176708511255,   0.004010244871533663, -0.10780823770381774,
                          -0.14004724044296152,   0.2886296317515146,   0.767764317003164,
                          0.5361019170917628,     0.017441255086855827, -0.049552834937127255,
                          0.0678926935013727,     0.03051551316596357,  -0.01263630340325193,
                          -0.0010473848886829163, 0.002681814568257878};
const double kSym8[16] = {
    0.0018899503327594609, -0.0003029205147213668, -0.01495225833704823,   0.003808752013890615,
    0.049137179673607506,  -0.027219029917056003,  -0.05194583810770904,   0.3644418948353314,
    0.7771857517005235,    0.4813596512583722,     -0.061273359067658524,  -0.1432942383508097,
    0.007607487324917605,  0.03169508781149298,    -0.0005421323317911481, -0.0033824159510061256};
const double kSym9[18] = {0.0010694900329086053, -0.0004731544986800831, -0.010264064027633142,
                          0.008859267493400484,  0.06207778930288603,    -0.018233770779395985,
                          -0.19155083129728512,  0.035272488035271894,   0.6173384491409358,
                          0.717897082764412,     0.238760914607303,      -0.05456895843083407,
                          0.0005834627461258068, 0.03022487885827568,    -0.01152821020767923,
                          -0.013271967781817119, 0.0006197808889855868,  0.0014009155259146807};
const double kSym10[20] = {
    -0.0004593294210046588, 5.7036083618494284e-05, 0.004593173585311828,  -0.0008043589320165449,
    -0.02035493981231129,   0.005764912033581909,   0.04999497207737669,   -0.0319900568824278,
    -0.03553674047381755,   0.38382676106708546,    0.7695100370211071,    0.47169066693843925,
    -0.07088053578324385,   -0.15949427888491757,   0.011609893903711381,  0.0459272392310922,
    -0.0014653825813050513, -0.008641299277022422,  9.563267072289475e-05, 0.0007701598091144901};
const double kCoif1[6] = {-0.07273261951252645, 0.3378976624574818,   0.8525720202116004,
                          0.3848648468648578,   -0.07273261951252645, -0.015655728135791993};
const double kCoif2[12] = {0.01638733646320364,  -0.04146493678687178,   -0.0673725547237256,
                           0.3861100668227629,   0.8127236354494135,     0.4170051844232391,
                           -0.07648859907828076, -0.05943441864643109,   0.02368017194684777,
                           0.005611434819368834, -0.0018232088709110323, -0.000720549445520347};
const double kCoif3[18] = {-0.003793512864380802, 0.007782596425672746,   0.023452696142077168,
                           -0.06577191128146936,  -0.06112339000297255,   0.40517690240911824,
                           0.7937772226260872,    0.42848347637737,       -0.07179982161915484,
                           -0.08230192710629983,  0.03455502757329774,    0.015880544863669452,
                           -0.009007976136730624, -0.0025745176881367972, 0.0011175187708306303,
                           0.0004662169598204029, -7.0983302506379e-05,   -3.459977319727278e-05};

}  // namespace

const char* wavelet_name(Wavelet wavelet) {
  switch (wavelet) {
    case kWaveletHaar:
      return "haar";
    case kWaveletDb1:
      return "db1";
    case kWaveletDb2:
      return "db2";
    case kWaveletDb3:
      return "db3";
    case kWaveletDb4:
      return "db4";
    case kWaveletDb5:
      return "db5";
    case kWaveletDb6:
      return "db6";
    case kWaveletDb7:
      return "db7";
    case kWaveletDb8:
      return "db8";
    case kWaveletDb9:
      return "db9";
    case kWaveletDb10:
      return "db10";
    case kWaveletSym2:
      return "sym2";
    case kWaveletSym3:
      return "sym3";
    case kWaveletSym4:
      return "sym4";
    case kWaveletSym5:
      return "sym5";
    case kWaveletSym6:
      return "sym6";
    case kWaveletSym7:
      return "sym7";
    case kWaveletSym8:
      return "sym8";
    case kWaveletSym9:
      return "sym9";
    case kWaveletSym10:
      return "sym10";
    case kWaveletCoif1:
      return "coif1";
    case kWaveletCoif2:
      return "coif2";
    case kWaveletCoif3:
      return "coif3";
    case kWaveletCount:
      break;
  }
  return 0;
}

bool wavelet_from_name(const char* name, Wavelet* wavelet) {
  if (!name || !wavelet) return false;
  for (int i = 0; i < kWaveletCount; ++i) {
    if (strcmp(name, wavelet_name(static_cast<Wavelet>(i))) == 0) {
      *wavelet = static_cast<Wavelet>(i);
      return true;
    }
  }
  return false;
}

int wavelet_filter_length(Wavelet wavelet) {
  switch (wavelet) {
    case kWaveletHaar:
      return 2;
    case kWaveletDb1:
      return 2;
    case kWaveletDb2:
      return 4;
    case kWaveletDb3:
      return 6;
    case kWaveletDb4:
      return 8;
    case kWaveletDb5:
      return 10;
    case kWaveletDb6:
      return 12;
    case kWaveletDb7:
      return 14;
    case kWaveletDb8:
      return 16;
    case kWaveletDb9:
      return 18;
    case kWaveletDb10:
      return 20;
    case kWaveletSym2:
      return 4;
    case kWaveletSym3:
      return 6;
    case kWaveletSym4:
      return 8;
    case kWaveletSym5:
      return 10;
    case kWaveletSym6:
      return 12;
    case kWaveletSym7:
      return 14;
    case kWaveletSym8:
      return 16;
    case kWaveletSym9:
      return 18;
    case kWaveletSym10:
      return 20;
    case kWaveletCoif1:
      return 6;
    case kWaveletCoif2:
      return 12;
    case kWaveletCoif3:
      return 18;
    case kWaveletCount:
      break;
  }
  return 0;
}

const double* wavelet_scaling_filter(Wavelet wavelet) {
  switch (wavelet) {
    case kWaveletHaar:
      return kDb1;
    case kWaveletDb1:
      return kDb1;
    case kWaveletDb2:
      return kDb2;
    case kWaveletDb3:
      return kDb3;
    case kWaveletDb4:
      return kDb4;
    case kWaveletDb5:
      return kDb5;
    case kWaveletDb6:
      return kDb6;
    case kWaveletDb7:
      return kDb7;
    case kWaveletDb8:
      return kDb8;
    case kWaveletDb9:
      return kDb9;
    case kWaveletDb10:
      return kDb10;
    case kWaveletSym2:
      return kSym2;
    case kWaveletSym3:
      return kSym3;
    case kWaveletSym4:
      return kSym4;
    case kWaveletSym5:
      return kSym5;
    case kWaveletSym6:
      return kSym6;
    case kWaveletSym7:
      return kSym7;
    case kWaveletSym8:
      return kSym8;
    case kWaveletSym9:
      return kSym9;
    case kWaveletSym10:
      return kSym10;
    case kWaveletCoif1:
      return kCoif1;
    case kWaveletCoif2:
      return kCoif2;
    case kWaveletCoif3:
      return kCoif3;
    case kWaveletCount:
      break;
  }
  return 0;
}

bool wavelet_filters(Wavelet wavelet, WaveletFilters* f) {
  const double* h = wavelet_scaling_filter(wavelet);
  if (!h || !f) return false;
  const int length = wavelet_filter_length(wavelet);
  f->length = length;
  for (int j = 0; j < length; ++j) {
    f->lo[j] = static_cast<float>(h[length - 1 - j]);
    f->hi[j] = static_cast<float>(j % 2 == 0 ? -h[j] : h[j]);
  }
  return true;
}

size_t dwt_output_length(size_t n, int filter_length) {
  return (n + static_cast<size_t>(filter_length) - 1) / 2;
}

void dwt_f32(const WaveletFilters& f, const float* x, size_t n, float* approx, float* detail) {
  const size_t out = dwt_output_length(n, f.length);
  const long period = 2 * static_cast<long>(n);
  const long last = static_cast<long>(n) - 1;
  for (size_t k = 0; k < out; ++k) {
    float a = 0.0f;
    float d = 0.0f;
    const long centre = 2 * static_cast<long>(k) + 1;
    for (int j = 0; j < f.length; ++j) {
      long i = centre - j;
      if (i < 0 || i > last) {
        // Symmetric extension repeats with period 2n: ... x1 x0 | x0 x1 ... x(n-1) | x(n-1) x(n-2) ...
        i %= period;
        if (i < 0) i += period;
        if (i > last) i = period - 1 - i;
      }
      a += f.lo[j] * x[i];
      d += f.hi[j] * x[i];
    }
    approx[k] = a;
    detail[k] = d;
  }
}

}  // namespace dsp
}  // namespace kiln
