"""The code the scripts share (`# include: NAME` in a template): `NAME.txt` text that several
scripts take as it is; `NAME.py` a plain Keras module that a trainer imports and the script
takes the code of (`export.template.module_code`), so the two build the same model."""
