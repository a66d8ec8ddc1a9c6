/* Audible cues for amber and red scans, and for a scan that could not be triaged
 * (Web Audio API, no sound files).
 * `window.inspectAudio.play(kind)` plays a cue and records it: `played` holds the last
 * kind and `history` every kind played, so tests and diagnostics can observe the cues. */
(function () {
  "use strict";

  var CUES = {
    amber: { type: "triangle", notes: [660, 660], length: 0.15, gap: 0.08 },
    red: { type: "square", notes: [330, 220, 330, 220], length: 0.18, gap: 0.04 },
    error: { type: "sawtooth", notes: [150], length: 0.5, gap: 0 }
  };
  var context = null;

  function audioContext() {
    var Ctor = window.AudioContext || window.webkitAudioContext;
    if (!Ctor) { return null; }
    if (context === null) { context = new Ctor(); }
    if (context.state === "suspended") { context.resume(); }
    return context;
  }

  function tone(ctx, cue, start, frequency) {
    var oscillator = ctx.createOscillator();
    var gain = ctx.createGain();
    oscillator.type = cue.type;
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + cue.length);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start);
    oscillator.stop(start + cue.length);
  }

  function play(kind) {
    var cue = CUES[kind];
    if (!cue) { return; }
    audio.played = kind;
    audio.history.push(kind);
    try {
      var ctx = audioContext();
      if (!ctx) { return; }
      var start = ctx.currentTime;
      cue.notes.forEach(function (frequency, index) {
        tone(ctx, cue, start + index * (cue.length + cue.gap), frequency);
      });
    } catch (error) {
      audio.error = String(error);
    }
  }

  var audio = { play: play, played: null, history: [], error: null };
  window.inspectAudio = audio;
})();
