"""Learning-rate schedules: `schedule(step) -> learning rate`, evaluated inside compiled steps."""

from neokeras.api_export import keras_name


@keras_name("keras.optimizers.schedules.LearningRateSchedule")
class LearningRateSchedule:
    """Base class: subclasses implement `__call__(step)` and `get_config`."""

    def __call__(self, step):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def serialize(schedule):
    from neokeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(schedule)


def deserialize(config, custom_objects=None):
    from neokeras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)
