"""The course's LSTM on IMDB reviews: the imdb-lstm trainer (`trainers/imdb.py`) builds with
this, and the exported script holds this code (`imdb_keras.py` includes it), so a run and its
script cannot drift apart. Plain Keras: nothing of tui-dl."""

import keras


def build_lstm(s):
    """Embedding → LSTM → Dense 1 sigmoid over reviews of `maxlen` word indices, compiled:
    Adam, binary cross-entropy, accuracy."""
    model = keras.Sequential(
        [
            keras.Input(shape=(s["maxlen"],), dtype="int32"),
            keras.layers.Embedding(s["vocabulary"], s["embedding"]),
            keras.layers.LSTM(
                s["units"], dropout=s["dropout"], recurrent_dropout=s["recurrent_dropout"]
            ),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="lstm",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=s["learning_rate"]),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model
