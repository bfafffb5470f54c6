"""The synthetic demo (issue 26: a package of its own, apart from the product's core modules).

- :mod:`indicators.demo.generator`: the demo's observations for the Landkreis Peine and its Gemeinden, generated
  from the indicator catalogue (a fixed seed per series), and the demo files in the upload template;
- :mod:`indicators.demo.sources`: the same observations split over the export layouts the real sources deliver
  (GENESIS, BA, Open SDG, Personalamt and Ausländerbehörde lists), loaded through the normal import;
- :mod:`indicators.demo.comparison`: Land, Bund and the other Kreise for the Regionalvergleich.

The core uses it only to load the demo (:func:`indicators.service.load_demo`); nothing here is needed to run the
monitor with real data.
"""
