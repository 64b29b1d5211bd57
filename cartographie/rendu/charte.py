"""What every renderer shares (map, charts, slides, images, PDF sheets, legends), without their libraries.

Colours and fonts: one table each, read by the screen's map, the server-drawn image and the printed sheets.
"""

#: QPV by status against 2015: Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
STATUT_COULEURS = {"NOUVEAU": "#D55E00", "MODIFIE": "#0072B2", "INCHANGE": "#009E73"}

#: Unicode fonts for French text (œ, ’, « », espaces fines), tried in order for each style: DejaVu ships with
#: Debian's fonts-dejavu-core, Liberation with LibreOffice. Styles as fpdf2 names them ("" regular, "B" bold,
#: "I" italic).
_TTF = "/usr/share/fonts/truetype"
FONT_FILES = {
    "": (f"{_TTF}/dejavu/DejaVuSans.ttf", f"{_TTF}/liberation/LiberationSans-Regular.ttf"),
    "B": (f"{_TTF}/dejavu/DejaVuSans-Bold.ttf", f"{_TTF}/liberation/LiberationSans-Bold.ttf"),
    "I": (f"{_TTF}/dejavu/DejaVuSans-Oblique.ttf", f"{_TTF}/liberation/LiberationSans-Italic.ttf"),
}
#: The same fonts named for an SVG or a browser.
FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

#: The symbols of a size key (graduated by population): a neutral grey, the colour meaning nothing there.
SIZE_KEY_COLOUR = "#5a5a5a"
