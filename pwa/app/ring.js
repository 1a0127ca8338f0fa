// A new task rings and vibrates: the phone may be in a pocket at the roadside.
let audio = null;
export function ring() {
  navigator.vibrate?.([300, 100, 300, 100, 300]);
  try {
    audio ??= new AudioContext();
    for (const [start, freq] of [[0, 880], [0.25, 1175], [0.5, 880]]) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = freq;
      gain.gain.setValueAtTime(0.3, audio.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + 0.22);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.24);
    }
  } catch { /* no sound before the first tap on some phones: the vibration and the flash remain */ }
}
