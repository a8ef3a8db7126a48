"""A learner's own folder of pictures, one subfolder per class: scanned, weighed, split and
loaded as numpy, with no TensorFlow and no UI (issue 26's foundation).

    from tui_dl.data.my_images.scan import scan_folder
    from tui_dl.data.my_images.split import SplitSettings, split_folder
    from tui_dl.data.my_images.summary import summarize
    from tui_dl.data.my_images.load import load_images

    folder = scan_folder("~/pets", progress=lambda done, total: ...)   # FolderProblem if unusable
    summary = summarize(folder, SplitSettings(seed=1))                 # the data view, --json
    parts = split_folder(folder, SplitSettings(seed=1))                # indices per part
    x = load_images([folder.images[i].path for i in parts.train], (224, 224))
    y = np.array(folder.labels())[parts.train]

Every problem the learner can fix is a `problems.FolderProblem` with one plain sentence naming
the folder or file; show its text, never a traceback.

As the data package's own file, this one imports nothing: each caller imports the module it
needs (`scan`, `balance`, `split`, `load`, `summary`, `problems`), so that a screen importing
`balance` or `split`'s sizes pays for neither Pillow nor scikit-learn.
"""
