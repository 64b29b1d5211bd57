"""The cooperation survey, one module per concern.

* :mod:`~cartographie.domaine.enquete.questionnaire`: questions, editions, families (the model);
* :mod:`~cartographie.domaine.enquete.validation`: the one check of an answer, shared by the form,
  the import of a file and the restore of a backup;
* :mod:`~cartographie.domaine.enquete.demo`: generated demo answers, always marked as such;
* :mod:`~cartographie.domaine.enquete.mots_cles`: keywords folded and counted;
* :mod:`~cartographie.domaine.enquete.resultats`: what the results may show, per edition;
* :mod:`~cartographie.domaine.enquete.publication`: the published tables, protected jointly
  (:mod:`cartographie.domaine.secret`).

Results are computed on answers as plain dicts and returned as frames with French headers.
"""
