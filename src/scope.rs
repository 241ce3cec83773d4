//! Stage 4, the scope filter (公示范围): cut the model down to what one
//! audience may see. Renderers receive only the filtered model.
