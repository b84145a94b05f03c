// Keeping the labels honest. The impulse classifies 2 s windows every 0.5 s, so
//  - every such window of an "alarm" clip must hold enough of the alarm tone, and
//  - no "noise" clip may hold what a window of a real alarm can look like: a tone in the alarm band lasting
//  about
//    as long as one alarm beep (a window can show a single beep followed by the 1.5 s pause), or two such
//    tones at the alarm's cadence.
// The thresholds are deliberately wider than the tests' own detector (tests/unit/firealarm/alarm_probe.h).
// The band is the alarms' 2.9-3.5 kHz with 100 Hz on each side for wobble and window leakage.
#pragma once

#include <vector>

namespace kiln::firealarm {

inline constexpr double kAlarmBandLowHz = 2800;
inline constexpr double kAlarmBandHighHz = 3600;
inline constexpr double kWindowSeconds = 2.0;
inline constexpr double kWindowStrideSeconds = 0.25;  // the example's window_increase_ms

// Seconds during which the alarm band holds at least 30% of the energy, in the weakest 2 s window (0.5 s
// stride) of a clip. Clips shorter than a window have no window: +infinity.
double weakest_window_tone_seconds(const std::vector<float>& clip);
// What an alarm clip must reach in every window (the pattern guarantees 0.5 s; reverberation only adds).
inline constexpr double kMinWindowToneSeconds = 0.45;

// A tone in the alarm band lasting 0.3-1.0 s (at least 30% of the frame energy, within 35 dB of the loudest
// frame): the length of one alarm beep, with its reverberation. Checked on a confuser or a background before
// it is mixed.
bool has_alarm_length_tone(const std::vector<float>& sound);

// Two alarm-band tones of 0.3-1.0 s starting 0.8-1.25 s apart (at least 20% of the frame energy, within 40 dB
// of the loudest frame): the temporal-three cadence, timed onset to onset because reverberation stretches the
// tones but keeps the rhythm. Checked on every finished noise clip.
bool has_temporal_three_cadence(const std::vector<float>& clip);

}  // namespace kiln::firealarm
