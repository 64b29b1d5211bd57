"""The Streamlit glue, the only code that imports Streamlit: one module per role (see the README's code map).

Importing it installs the upload guard (:func:`cartographie.ui.adaptateur.internes.uploads_for_editors_only`)
before anything else of the app is loaded: however the server was started (the launcher, a plain
``streamlit run app.py`` whose first visitor's page runs alone), no upload is accepted from a
session where no editor has signed in, from the first script run of the process on.
"""

from cartographie.ui.adaptateur.internes import uploads_for_editors_only

uploads_for_editors_only()
