"""The one helper of the `keras.src` mirrors: copy a public module's names into a mirror."""


def reexport(namespace, public_module):
    """Puts every public name of `public_module` into `namespace` (a mirror's `globals()`)."""
    names = [name for name in dir(public_module) if not name.startswith("_")]
    namespace.update({name: getattr(public_module, name) for name in names})
    namespace["__all__"] = names
