"""Film side files: subtitles (WebVTT), the transcript, the authoring of timed scripts, the demo clip."""
